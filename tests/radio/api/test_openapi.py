"""schemathesis against the served /api/v1/openapi.json: whatever it generates (valid and
invalid data), no 5xx, and every response matches the document (status, content type,
headers, body).

schemathesis is driven through its Python API (operation strategies run with hypothesis);
its pytest plugin does not work with pytest 9 yet.
"""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from radio.api.openapi import PATHS  # noqa: E402
from tests.radio.api_kit import api, tones  # noqa: E402,F401 (fixtures)

pytestmark = pytest.mark.db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
MAX_EXAMPLES = 25
OPERATIONS = [(method.upper(), path) for path, methods in PATHS.items() for method in methods]


def _fixed(api, path: str) -> tuple[dict, dict]:
    """Path parameters and headers that let generated data reach the handlers: a device's own
    paths and token, a file it may fetch (so that generated Range headers are exercised)."""
    if path.startswith("/devices/"):
        return {"code": "loa-01"}, {"Authorization": f"Bearer {api.world.tokens['loa-01']}"}
    if path.startswith("/media/"):
        return {"sha256": api.world.media["ep-1"]}, {"Authorization": f"Bearer {api.world.tokens['loa-01']}"}
    return {}, {}


def _exercise(api, operation, mode: GenerationMode, signed_in) -> None:
    path_parameters, headers = _fixed(api, operation.path)
    users = operation.path.startswith(("/bulletins", "/stations", "/compliance"))
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        if operation.path.endswith(".m3u8") and mode is GenerationMode.POSITIVE:
            case.query = {**(case.query or {}), "token": api.world.tokens["loa-01"]}
        response = case.call(base_url=api.url(""), headers=headers, session=signed_in if users else None)
        case.validate_response(response, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_the_api_matches_its_openapi_document(api, mode):
    schema = schemathesis.openapi.from_url(api.url("/openapi.json"))
    signed_in = api.login("dai-tk")
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        found.append((operation.method.upper(), operation.path))
        _exercise(api, operation, mode, signed_in)
    assert sorted(found) == sorted(OPERATIONS)  # every documented operation was exercised
