"""Prometheus metrics, one registry per process's Services (no module-level collectors, so tests stay isolated)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter("civility_http_requests_total", "HTTP requests by route and status.", ["route", "method", "status"], registry=r)
        self.latency = Histogram(
            "civility_http_request_seconds", "HTTP request latency by route.", ["route", "method"], buckets=_LATENCY_BUCKETS, registry=r
        )
        self.inflight = Gauge("civility_http_inflight_requests", "Requests being served now.", registry=r)
        self.shed = Counter("civility_http_shed_total", "Requests refused because the worker was full.", registry=r)
        self.inference = Histogram(
            "civility_model_inference_seconds", "Time in one model call.", ["model"], buckets=_LATENCY_BUCKETS, registry=r
        )
        self.batch_size = Histogram(
            "civility_model_batch_size", "Texts per model call.", ["model"], buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256), registry=r
        )
        self.batch_queue = Gauge("civility_batcher_queue_depth", "Texts waiting for the micro-batcher.", ["model"], registry=r)
        self.decisions = Counter("civility_decisions_total", "Moderation decisions by action and source.", ["action", "source"], registry=r)
        self.review_queue = Gauge("civility_review_queue_depth", "Comments awaiting a moderator.", registry=r)
