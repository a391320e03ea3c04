"""The composition root: everything a use case needs, built once from the settings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from civility.config import Settings
from civility.scoring.base import Scorer
from civility.scoring.batcher import MicroBatcher
from civility.scoring.registry import ModelRegistry
from civility.services.duplicates import DuplicateTracker
from civility.services.metrics import Metrics
from civility.services.retention import RetentionTask
from civility.services.webhooks import WebhookSender
from civility.storage import migrate
from civility.storage.engine import make_engine, make_session_factory
from civility.text.language import LanguageDetector


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    registry: ModelRegistry
    detector: LanguageDetector
    duplicates: DuplicateTracker
    # Password checks (argon2id) this process runs at once; every app and thread of the process shares this one.
    password_checks: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(2))
    webhook_sender: WebhookSender | None = None
    retention: RetentionTask | None = None
    metrics: Metrics = field(default_factory=Metrics)

    def start_background(self) -> None:
        """Start the webhook sender, and the retention purge when retention_days is set; called by the app's
        lifespan, not by commands that only score."""
        if self.webhook_sender is None:
            self.webhook_sender = WebhookSender.from_settings(self.sessions, self.settings)
            self.webhook_sender.start()
        if self.retention is None and self.settings.retention_days is not None:
            self.retention = RetentionTask(self.sessions, self.settings.retention_days, self.settings.retention_interval_seconds)
            self.retention.start()

    def stop_background(self) -> None:
        if self.webhook_sender is not None:
            self.webhook_sender.stop()
            self.webhook_sender = None
        if self.retention is not None:
            self.retention.stop()
            self.retention = None

    def close(self) -> None:
        self.stop_background()
        self.engine.dispose()


def build_services(
    settings: Settings,
    upgrade_database: bool = True,
    registry: ModelRegistry | None = None,
    detector: LanguageDetector | None = None,
    metrics: Metrics | None = None,
) -> Services:
    """Open the database (migrating it to the newest schema), load every model and the language detector.

    Already-loaded ``registry`` and ``detector`` may be passed in: they are read-only, so several Services (one per
    test database, say) can share them.
    """
    engine = make_engine(settings.database_url)
    if upgrade_database:
        migrate.upgrade(engine)
    metrics = metrics or Metrics()
    if registry is None:
        registry = ModelRegistry.from_dir(
            settings.models_dir, wrap=_batching(settings, metrics), preload_languages=settings.preload_languages
        )
    return Services(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        registry=registry,
        detector=detector or LanguageDetector(),
        duplicates=DuplicateTracker(),
        password_checks=threading.BoundedSemaphore(settings.password_hash_concurrency),
        metrics=metrics,
    )


def _batching(settings: Settings, metrics: Metrics) -> Callable[[Scorer], Scorer]:
    """Transformer scorers get a micro-batcher (settings.micro_batch_*); the linear model is faster called directly."""

    def wrap(scorer: Scorer) -> Scorer:
        if settings.micro_batch_wait_ms <= 0 or scorer.info.kind != "onnx":
            return scorer
        label = scorer.info.label

        def observe(size: int, seconds: float, depth: int) -> None:
            metrics.batch_size.labels(label + "/batched").observe(size)
            metrics.batch_queue.labels(label).set(depth)

        return MicroBatcher(
            scorer, settings.micro_batch_max, settings.micro_batch_wait_ms / 1000, settings.micro_batch_queue, on_batch=observe
        )

    return wrap
