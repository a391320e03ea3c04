"""Overload, limits and observability: 429 with Retry-After per key, 503 when full, 504 past the deadline,
Prometheus metrics, and JSON access logs that never carry comment text or API keys."""

from __future__ import annotations

import json
import logging
import pytest
from fastapi.testclient import TestClient

from civility.api.app import create_app
from civility.config import Settings
from civility.services.context import Services
from civility.services.keys import create_key
from civility.services.ratelimit import admit

ANALYZE = "/v1alpha1/comments:analyze"
BODY = {"comment": {"text": "Plain words about the weather."}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}


def _client(settings: Settings, services: Services, **overrides: object) -> TestClient:
    tuned = settings.model_copy(update=overrides)
    services.settings = tuned
    return TestClient(create_app(tuned, services))


def test_rate_limit_answers_429_with_retry_after_per_key(settings: Settings, services: Services) -> None:
    limited = create_key(services.sessions, "limited", ("score",), rate_qps=0.5, rate_burst=3).key
    other = create_key(services.sessions, "other", ("score",)).key
    with _client(settings, services) as client:
        codes = [client.post(f"{ANALYZE}?key={limited}", json=BODY).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = client.post(f"{ANALYZE}?key={limited}", json=BODY)
        assert refused.status_code == 429
        assert refused.json()["error"]["details"][0]["errorType"] == "RATE_LIMIT_EXCEEDED"
        assert refused.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
        assert 1 <= int(refused.headers["retry-after"]) <= 2
        assert client.post(f"{ANALYZE}?key={other}", json=BODY).status_code == 200  # buckets are per key


def test_bucket_refills_with_time(services: Services) -> None:
    from civility.services.keys import authenticate

    created = create_key(services.sessions, "refill", ("score",), rate_qps=1.0, rate_burst=1)
    key = authenticate(services.sessions, created.key)
    admit(services, key, now=1000.0)
    with pytest.raises(Exception) as refused:
        admit(services, key, now=1000.2)
    assert getattr(refused.value, "error_type", "") == "RATE_LIMIT_EXCEEDED"
    admit(services, key, now=1001.3)  # a second later, a token is back


def _metrics_reader(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "prometheus", ("metrics",)).key}


def test_full_worker_sheds_with_503_but_health_answers(settings: Settings, services: Services, api_key: str) -> None:
    with _client(settings, services, max_inflight_requests=0) as client:
        shed = client.post(f"{ANALYZE}?key={api_key}", json=BODY)
        assert shed.status_code == 503 and shed.headers["retry-after"] == "1"
        assert shed.json()["error"]["details"][0]["errorType"] == "OVERLOADED"
        assert client.get("/healthz").status_code == 200
        assert client.get("/metrics", headers=_metrics_reader(services)).status_code == 200


def test_deadline_answers_504(settings: Settings, services: Services, api_key: str) -> None:
    long_text = ("This is a sentence about local politics. " * 480)[:20000]
    body = {**BODY, "comment": {"text": long_text}, "spanAnnotations": True}
    with _client(settings, services, request_timeout_seconds=0.0005) as client:
        late = client.post(f"{ANALYZE}?key={api_key}", json=body)
        assert late.status_code == 504
        assert late.json()["error"]["details"][0]["errorType"] == "DEADLINE_EXCEEDED"


def test_metrics_and_logs_leave_out_text_and_keys(
    client: TestClient, services: Services, api_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="civility.access")
    secret_text = "zeppelin-artichoke-992 is my comment"
    response = client.post(f"{ANALYZE}?key={api_key}", json={**BODY, "comment": {"text": secret_text}}, headers={"x-request-id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    metrics = client.get("/metrics", headers=_metrics_reader(services)).text
    assert 'civility_http_requests_total{method="POST",route="/v1alpha1/comments:analyze",status="200"} 1.0' in metrics
    assert "civility_model_inference_seconds_count" in metrics
    assert "civility_review_queue_depth" in metrics
    assert secret_text not in metrics and api_key not in metrics
    from civility.logs import JsonFormatter

    lines = [JsonFormatter().format(r) for r in caplog.records]
    assert any(json.loads(line)["request_id"] == "abc123" for line in lines)
    assert all(secret_text not in line and api_key not in line for line in lines)


def test_decisions_are_counted(client: TestClient, services: Services) -> None:
    admin = {"authorization": "Bearer " + create_key(services.sessions, "a", ("admin",)).key}
    client.put("/v1/sites/p", json={"name": "P"}, headers=admin)
    client.put("/v1/sites/p/articles/a", json={"title": "T", "body": "B"}, headers=admin)
    client.post("/v1/sites/p/articles/a/comments", json={"id": "1", "text": "Nice one"}, headers=admin)
    assert 'civility_decisions_total{action="approve",source="policy"} 1.0' in client.get("/metrics", headers=_metrics_reader(services)).text


def test_cors_is_closed_by_default(client: TestClient) -> None:
    preflight = client.options(ANALYZE, headers={"origin": "https://evil.example", "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
