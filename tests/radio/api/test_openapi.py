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
from hypothesis import strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from radio.api.openapi import PATHS  # noqa: E402
from tests.radio.api_kit import api, tones  # noqa: E402,F401 (fixtures)
from tests.radio.cap.cap_kit import make_source, storm  # noqa: E402

pytestmark = [pytest.mark.db, pytest.mark.slow]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
MAX_EXAMPLES = 25
OPERATIONS = [(method.upper(), path) for path, methods in PATHS.items() for method in methods]


def _securities(api, operation, signed_in, source_token) -> list[tuple[str, dict, dict, object]]:
    """Each way the document lets a caller in (its security alternatives), as what a call needs:
    (scheme, path parameters, headers, session). Path parameters are a device's own code and a
    file it may fetch, so that generated data reaches the handlers (and Range headers a file)."""
    path = operation.path
    fixed = {"code": "loa-01"} if path.startswith("/devices/") else {}
    if path.startswith("/media/"):
        fixed = {"sha256": api.world.media["ep-1"]}
    bearer = {"Authorization": f"Bearer {api.world.tokens['loa-01']}"}
    ways = {"deviceToken": (fixed, bearer, None), "urlToken": (fixed, {}, None), "session": (fixed, {}, signed_in),
            "alertSource": (fixed, {"Authorization": f"Bearer {source_token}"}, None)}
    schemes = [name for alternative in operation.definition.raw.get("security", []) for name in alternative]
    return [(name, *ways[name]) for name in dict.fromkeys(schemes)]


def _exercise(api, operation, mode: GenerationMode, signed_in, source_token, answers: list) -> None:
    for scheme, path_parameters, headers, session in _securities(api, operation, signed_in, source_token):
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)

        @given(case=strategy, alert=st.none() | st.integers(0, 2))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck), database=None)
        def run(case, alert):
            if scheme == "urlToken" and mode is GenerationMode.POSITIVE:
                case.query = {**(case.query or {}), "token": api.world.tokens["loa-01"]}
            if scheme == "alertSource" and mode is GenerationMode.POSITIVE and alert is not None:
                # a real alert as the body now and then (three identifiers: taken, then answered as the same)
                case.body = storm(api.clock.now, f"OPENAPI-{alert}")  # bytes: sent as they are
            response = case.call(base_url=api.url(""), headers=headers, session=session)
            case.validate_response(response, checks=CHECKS)
            if scheme == "alertSource":
                answers.append(response.status_code)

        run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_the_api_matches_its_openapi_document(api, mode):
    schema = schemathesis.openapi.from_url(api.url("/openapi.json"))
    signed_in, source_token = api.login("dai-tk"), make_source(api)
    found, alert_answers = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        found.append((operation.method.upper(), operation.path))
        _exercise(api, operation, mode, signed_in, source_token, alert_answers)
    assert sorted(found) == sorted(OPERATIONS)  # every documented operation was exercised
    # A real source's token: the alerts' handler was reached (refusing what is not an alert, taking real ones).
    assert 400 in alert_answers
    if mode is GenerationMode.POSITIVE:
        assert {201, 200} <= set(alert_answers) and 401 not in alert_answers


def test_the_documents_links_are_followed_statefully(api):
    """Issue a bulletin, then read and cancel it by the id the answer gave (the document's links),
    as a signed-in user; every step checked as above."""
    schema = schemathesis.openapi.from_url(api.url("/openapi.json"))
    signed_in, followed = api.login("dai-tk"), []
    real = {"episode": "kh-nt/cds/ep-1", "areas": ["TH-NT-TK"], "priority": "priority"}

    class Bulletins(schema.as_state_machine()):
        def before_call(self, case):
            if case.operation.path == "/bulletins" and isinstance(case.body, dict):
                case.body = {**case.body, **real}  # an episode and an area that exist, so links have an id
            followed.append((case.method.upper(), case.operation.path))

        def get_call_kwargs(self, case):
            return {"base_url": api.url(""), "session": signed_in}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Bulletins.run(settings=settings(max_examples=10, stateful_step_count=4, deadline=None, database=None,
                                    suppress_health_check=list(HealthCheck)))
    assert ("GET", "/bulletins/{uuid_text}") in followed and ("POST", "/bulletins/{uuid_text}/cancel") in followed
