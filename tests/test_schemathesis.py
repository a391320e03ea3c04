"""Property-based fuzzing of every documented endpoint from the OpenAPI spec: no 5xx, responses match the spec."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from fastapi.testclient import TestClient

from civility.api.app import create_app
from civility.config import PROJECT_ROOT, Settings
from civility.scoring.registry import ModelRegistry
from civility.services.context import build_services
from civility.services.keys import create_key
from civility.text.language import LanguageDetector


def _app():  # type: ignore[no-untyped-def]
    """The app, an unbound admin key, and an admin key bound to the site ``fuzz`` (a second site, ``other``, is out of
    its reach: every request it aims there must answer 404, not 5xx)."""
    import tempfile

    workdir = tempfile.mkdtemp(prefix="civility-fuzz-")
    conf = Settings(database_url=f"sqlite:///{workdir}/fuzz.db", local_key_file=f"{workdir}/key", rate_limit_enabled=False)
    services = build_services(conf, registry=ModelRegistry.from_dir(PROJECT_ROOT / "models"), detector=LanguageDetector())
    key = create_key(services.sessions, "fuzz", ("admin",)).key
    app = create_app(conf, services)
    app.state.services = services
    # A site and an article to aim at, so fuzzing reaches past the 404s.
    with TestClient(app) as client:
        auth = {"authorization": f"Bearer {key}"}
        client.put("/v1/sites/fuzz", json={"name": "Fuzz"}, headers=auth)
        client.put("/v1/sites/fuzz/articles/a", json={"title": "A", "body": "Body text."}, headers=auth)
        client.put("/v1/sites/other", json={"name": "Other"}, headers=auth)
        client.put("/v1/sites/other/articles/a", json={"title": "A", "body": "Body text."}, headers=auth)
    bound = create_key(services.sessions, "fuzz-bound", ("admin",), sites=("fuzz",)).key
    return app, key, bound


APP, KEY, BOUND_KEY = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_on_generated_input(case: schemathesis.Case) -> None:
    case.headers = {**(case.headers or {}), "authorization": f"Bearer {KEY}"}
    case.query = {**(case.query or {}), "key": KEY}
    response = case.call_and_validate(checks=[checks.not_a_server_error, checks.response_schema_conformance])
    assert response.status_code < 500


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_with_a_site_bound_key(case: schemathesis.Case) -> None:
    """The key is bound to ``fuzz``; every request it aims at ``other`` answers 404 (or 400, 405 for a malformed request,
    which says nothing about the site), never its data. Coral's phase is keyed by its own signature, not by keys."""
    case.headers = {**(case.headers or {}), "authorization": f"Bearer {BOUND_KEY}"}
    case.query = {**(case.query or {}), "key": BOUND_KEY}
    aimed = bool(case.path_parameters and "site" in case.path_parameters and "/coral/" not in case.path)
    if aimed:
        case.path_parameters = {**case.path_parameters, "site": "other"}
    response = case.call_and_validate(checks=[checks.not_a_server_error, checks.response_schema_conformance])
    assert response.status_code < 500
    if aimed:
        assert response.status_code in (400, 404, 405, 413), (case.method, case.formatted_path, response.status_code)


def test_the_spec_documents_every_api_route() -> None:
    paths = APP.openapi()["paths"]
    assert {"/v1alpha1/comments:analyze", "/v1alpha1/comments:suggestscore", "/v1/sites/{site}/articles/{article}/comments"} <= set(paths)
    body = paths["/v1alpha1/comments:analyze"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "requestedAttributes" in body["properties"]
