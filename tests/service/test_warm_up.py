"""The engine is warmed up before the service says it is ready: no request compiles a kernel."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from shingling import attribution
from tests.helpers import seeds
from tests.service.conftest import OpenClient

# In a fresh process (no kernel loaded yet): warm up, then run a service's checks and stores through the real
# app, and print every kernel that gained a compiled signature after the warm-up.
SCRIPT = """
import json, sys
from numba.core.registry import CPUDispatcher
from fastapi.testclient import TestClient
from shingling import bandkernels, kernels
from shingling.warm import warm_up
from service.core.config import Settings
from service.main import create_app

def compiled():
    return {f"{m.__name__}.{n}": len(getattr(m, n).signatures) for m in (kernels, bandkernels) for n in dir(m)
            if isinstance(getattr(m, n), CPUDispatcher)}

warm_up()
before = compiled()
texts = json.loads(sys.argv[2])
app = create_app(Settings(database_url=sys.argv[1]))
with TestClient(app) as client:
    assert app.state.detector.wait_ready(120), app.state.detector.load_error
    ids = [client.post("/api/v1/articles", json={"text": t, "source": "site"}).json()["article"]["id"]
           for t in texts[:3]]
    assert client.post("/api/v1/check", json={"text": texts[3] + "\\n\\n" + texts[1]}).status_code == 200
    assert client.get(f"/api/v1/articles/{ids[1]}/overlaps").status_code == 200
print(json.dumps({k: v for k, v in compiled().items() if v != before[k]}))
"""


def test_the_warm_up_compiles_every_kernel_a_check_runs(tmp_path: Path) -> None:
    # a first compile takes 20-40 s: a request that met it cold outlasted the request timeout
    texts = [seeds()[n] for n in ("000", "001", "002", "003")]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'warm.db'}", json.dumps(texts)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {}


def test_the_warm_up_compiles_the_credit_lines_of_a_deployments_own_agencies(
    open_client: OpenClient, tmp_path: Path
) -> None:
    # the credit-line patterns are compiled per agency registry (about a second): with SYNDET_WIRES_FILE the
    # server's registry is not the built-in one, and its first check used to compile them inside the request
    agencies = tmp_path / "wires.json"
    agencies.write_text(json.dumps({"nampa": {"name": "Namibia Press Agency", "aliases": ["Nampa"]}}))
    with open_client(wires_file=agencies) as client:
        for loader in [t for t in threading.enumerate() if t.name == "index-load"]:
            loader.join(120)  # the index is loaded, then the engine warmed up
        compiled = attribution._compiled.cache_info().misses
        found = client.post("/api/v1/check", json={"text": "WINDHOEK (Nampa) - " + seeds()["000"]})
        assert found.status_code == 200
        assert "nampa" in [a["agency"] for a in found.json()["attributions"]]
        assert attribution._compiled.cache_info().misses == compiled
