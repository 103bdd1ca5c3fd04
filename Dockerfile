# syndet API image: slim Python, the package and its PostgreSQL/Redis extras installed from wheels built in a
# first stage, the alignment's compiled kernels built once at build time (numba's cache, beside the package), run
# as a non-root user. Configuration is SYNDET_* environment variables (see README).
#   docker build -t syndet .
#   docker run -p 8000:8000 syndet                       # SQLite in /data, in-process index, one worker
# deploy/compose.yaml runs it on PostgreSQL + Redis with several workers.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY shingling ./shingling
COPY service ./service
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres,redis]"

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/syndet/bin:$PATH \
    SYNDET_HOST=0.0.0.0 \
    SYNDET_PORT=8000 \
    SYNDET_DATABASE_URL=sqlite:////data/syndet.db
COPY --from=build /wheels /wheels
RUN python -m venv /opt/syndet \
    && /opt/syndet/bin/pip install --no-cache-dir --no-index --find-links /wheels "syndet[postgres,redis]" \
    && rm -rf /wheels \
    && python -c "from shingling import PassageIndex, compare, prepare; t = 'Rescuers searched the flooded valley on Monday after the river burst its banks. ' * 8; a, b = prepare(t), prepare(t.replace('Monday', 'Tuesday')); compare(a, b); i = PassageIndex(); i.insert('a', a); i.compact(); i.query(b)" \
    && useradd --system --uid 10001 --home-dir /data --create-home syndet
USER syndet
WORKDIR /data
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('SYNDET_PORT', '8000'), timeout=4)"]
CMD ["syndet", "serve"]
