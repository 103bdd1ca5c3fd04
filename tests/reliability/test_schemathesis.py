"""Schemathesis against the service's own OpenAPI schema: no 5xx, and every answer as the schema says.

The real server runs on 127.0.0.1 with an API key, so writes and deletes are exercised too. Bounded for
CI: SYNDET_SCHEMATHESIS_EXAMPLES examples per operation (default 25), no shrinking, no example database.
"""

from __future__ import annotations

import os
import time

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from prometheus_client.parser import text_string_to_metric_families
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from typer.testing import CliRunner

from service.cli import app as cli
from tests.helpers import article
from tests.reliability.conftest import API, StartServer

EXAMPLES = int(os.environ.get("SYNDET_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def test_api_conforms_to_its_schema(start_server: StartServer) -> None:
    server = start_server(SYNDET_RATE_LIMIT="0")
    database = server.env["SYNDET_DATABASE_URL"]
    key = CliRunner().invoke(cli, ["keys", "create", "schemathesis", "--database-url", database]).stdout.strip()
    headers = {"X-API-Key": key}
    with httpx.Client(base_url=server.base, headers=headers, timeout=30) as http:
        deadline = time.monotonic() + 10
        while http.get(f"{API}/articles").status_code == 401 and time.monotonic() < deadline:
            time.sleep(0.2)  # the server re-reads keys every 2 s
        for name in ("harbour", "orchard"):
            response = http.post(f"{API}/articles", json={"text": article(name)})
            assert response.status_code == 201, response.text

    schema = schemathesis.openapi.from_url(f"{server.base}/openapi.json")
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def exercise(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS, timeout=60)

            try:
                exercise()
            except Unsatisfiable:
                continue  # no parameters and no body: nothing can be made invalid
            except Exception as exc:  # noqa: BLE001 - collect every operation's failures, then report them all
                failures[f"{operation.label} ({mode})"] = str(exc)[:3000]
    assert operations >= 9
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
    answered = {
        sample.labels["status"]: sample.value
        for family in text_string_to_metric_families(httpx.get(f"{server.base}/metrics", headers=headers).text)
        for sample in family.samples
        if sample.name == "syndet_http_requests_total"
    }
    assert sum(answered.values()) >= 8 * operations, answered  # the run really sent its examples
    assert not [status for status in answered if status.startswith("5")], answered
    assert "Traceback" not in server.log()
