"""`/metrics` in the Prometheus text format: requests, latency, stored articles and passages, index size,
candidates per query.

Each app has its own registry (tests build many apps in one process). Request counts and latencies are
fed by `RequestContext` through `ServiceMetrics.observe_request`; candidate counts by the detector; the
stored counts are read from the database when the page is scraped (a failed read leaves them out).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from service.api.security import ReadAccess
from service.models import Article, Passage

__all__ = ["ServiceMetrics", "router"]

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CANDIDATE_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)


class ServiceMetrics:
    """The service's Prometheus metrics, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "syndet_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "syndet_http_request_duration_seconds",
            "Time from receiving a request to the end of its response, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.candidates = Histogram(
            "syndet_candidates_per_query",
            "Stored articles the index proposed for alignment per overlap query (before the cap).",
            buckets=CANDIDATE_BUCKETS,
            registry=self.registry,
        )
        self.ingested = Counter(
            "syndet_articles_ingested", "Articles stored through the API by this process.", registry=self.registry
        )
        self.deleted = Counter(
            "syndet_articles_deleted", "Articles deleted through the API by this process.", registry=self.registry
        )
        self._stored = _StoredCollector()
        self.registry.register(self._stored)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
        if status == 201 and method == "POST":  # only storing an article answers 201
            self.ingested.inc()
        elif status == 204 and method == "DELETE":
            self.deleted.inc()

    def observe_candidates(self, count: int) -> None:
        self.candidates.observe(count)

    def bind(self, app_state: Any) -> None:
        """Read stored counts and the index size from this app's database and detector when scraped."""
        self._stored.state = app_state

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _StoredCollector(Collector):
    """Gauges computed at scrape time: stored articles and passages, articles in the index."""

    def __init__(self) -> None:
        self.state: Any = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        state = self.state
        if state is None or not hasattr(state, "detector"):
            return
        yield GaugeMetricFamily("syndet_index_articles", "Articles in the passage index.", value=len(state.detector))
        yield GaugeMetricFamily(
            "syndet_index_ready", "1 when the passage index is loaded.", value=1 if state.detector.ready else 0
        )
        try:
            with state.sessions() as session:
                articles = session.scalar(select(func.count()).select_from(Article)) or 0
                passages = session.scalar(select(func.count()).select_from(Passage)) or 0
        except SQLAlchemyError as exc:
            log.warning("metrics: cannot count stored articles: %s", type(exc).__name__)
            return
        yield GaugeMetricFamily("syndet_articles_stored", "Articles in the database.", value=articles)
        yield GaugeMetricFamily("syndet_passages_stored", "Passage signatures in the database.", value=passages)

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())


router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    operation_id="metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}},
    dependencies=[ReadAccess],
)
def metrics(request: Request) -> Response:
    service_metrics: ServiceMetrics = request.app.state.metrics
    return Response(service_metrics.render(), media_type=CONTENT_TYPE_LATEST)
