"""One settings object for the whole product.

Read once from ``CIVILITY_*`` environment variables and an optional TOML file (``CIVILITY_CONFIG``), then passed
down explicitly. Nothing else in the package reads the environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, IPvAnyNetwork
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob Civility has; each is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="CIVILITY_", extra="ignore")

    config_file: Path | None = Field(None, description="Optional TOML file with these settings (env: CIVILITY_CONFIG_FILE).")
    database_url: str = Field(
        "sqlite:///var/civility.db",
        description="SQLAlchemy URL of the database. SQLite (WAL) by default; postgresql+psycopg://… for PostgreSQL.",
    )
    models_dir: Path = Field(PROJECT_ROOT / "models", description="Folder holding the versioned model artifacts.")
    preload_languages: list[str] = Field(
        default_factory=lambda: ["en"],
        description="Languages whose default models load at start (\"*\": all). Other languages and older versions "
        "reached by a pin load on their first request, so they cost memory only when used.",
    )
    public_url: str | None = Field(
        None, description="Public base URL (behind a proxy); the discovery document's rootUrl. Default: the request's."
    )
    local_key_file: Path = Field(
        Path("var/local-api-key"), description="Where `civility serve` keeps the API key it made for local use."
    )
    load_demo: bool = Field(True, description="On first start (no sites yet), `civility serve` loads the reference page.")
    workers: int = Field(1, ge=1, le=64, description="Worker processes `civility serve` starts (each loads the models).")
    host: str = Field("127.0.0.1", description="Address `civility serve` binds to.")
    port: int = Field(8080, description="Port `civility serve` listens on.")
    max_comment_bytes: int = Field(20480, description="Largest comment text accepted, in UTF-8 bytes (Perspective: 20 KB).")
    max_body_bytes: int = Field(
        1_100_000, description="Largest request body accepted, in bytes (context entries may be up to 1 MB)."
    )
    store_requests: bool = Field(
        True, description="Store analyzed comments (unless the request sets doNotStore) for later feedback."
    )
    retention_days: int | None = Field(
        None,
        ge=1,
        description="Delete stored analyze requests and suggested scores (suggestscore's texts, contexts and labels) "
        "older than this many days: the server purges every retention_interval_seconds, `civility purge` once. "
        "Unset: kept until erased.",
    )
    retention_interval_seconds: float = Field(
        3600.0, gt=0, description="How often the server runs the retention purge (when retention_days is set)."
    )
    span_max_sentences: int = Field(200, description="Most sentences scored for span annotations in one comment.")
    rate_limit_enabled: bool = Field(True, description="Enforce per-key rate limits (429 RATE_LIMIT_EXCEEDED with Retry-After).")
    rate_limit_qps: float = Field(50.0, description="Default requests per second per API key (a key may set its own).")
    rate_limit_burst: float = Field(100.0, description="Default burst per API key: requests allowed at once after a quiet spell.")
    max_inflight_requests: int = Field(
        64, description="Requests one worker process serves at once; beyond this it sheds load with 503 and Retry-After."
    )
    request_timeout_seconds: float = Field(30.0, description="A request still running after this long is answered 504.")
    micro_batch_wait_ms: float = Field(
        0.0,
        description="Transformer micro-batching: how long a request may wait for others (0: off). Worth turning on only "
        "with CIVILITY_ONNX_BATCH > 1, which trades exact batch-independence of int8 scores for throughput.",
    )
    micro_batch_max: int = Field(32, description="Transformer micro-batching: most texts in one model call.")
    micro_batch_queue: int = Field(512, description="Transformer micro-batching: texts that may wait; beyond it requests get 503.")
    shutdown_grace_seconds: int = Field(20, description="On SIGTERM, how long in-flight requests may finish before exit.")
    keep_alive_seconds: int = Field(
        75,
        ge=1,
        le=3600,
        description="How long an idle keep-alive connection stays open. Longer than clients' and proxies' own idle "
        "timeouts (httpx and Node 5 s, nginx and load balancers 60 s), so the client closes first: a server that closes "
        "a connection the client is reusing at that moment answers its request with a reset.",
    )
    webhook_interval_seconds: float = Field(1.0, description="How often the webhook outbox is drained (it is also woken after each decision).")
    webhook_allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts (names or addresses, as written in the URL) that webhooks may reach even though they are "
        "loopback, private or link-local; every other internal address is refused, when saved and at delivery.",
    )
    webhook_per_site: int = Field(
        5, ge=1, le=1000, description="Most due webhook deliveries of one site sent in one drain of the outbox (sites take turns)."
    )
    webhook_max_attempts: int = Field(
        8, ge=1, le=100, description="Tries before a webhook delivery is given up and marked dead."
    )
    webhook_backoff_seconds: float = Field(
        2.0, gt=0, description="Wait before a failed webhook delivery's first retry; it doubles with each failure."
    )
    webhook_backoff_max_seconds: float = Field(3600.0, gt=0, description="Longest wait between two tries of a webhook delivery.")
    webhook_timeout_seconds: float = Field(5.0, gt=0, le=60, description="Timeout of one webhook request.")
    default_languages: list[str] = Field(
        default_factory=lambda: ["en"], description="Language assumed when detection is not confident."
    )
    local_admin_file: Path = Field(
        Path("var/local-admin-password"),
        description="Where `civility serve` keeps the password of the dashboard's `admin` user it made on first start.",
    )
    ray_address: str = Field(
        "auto",
        description="Ray cluster for `civility batch --engine ray`: host:port, ray://host:10001, auto (the one on this machine) or local (a private one).",
    )
    session_hours: float = Field(12.0, description="How long a dashboard sign-in lasts, in hours.")
    signin_free_failures: int = Field(
        3, ge=1, le=100,
        description="Failed sign-ins of one user name from one client address before that pair must wait; the right "
        "password from another address is never held back.",
    )
    signin_delay_seconds: float = Field(
        5.0, gt=0, description="Wait after the failures allowed for free; it doubles with each further failure."
    )
    signin_max_delay_seconds: float = Field(900.0, gt=0, description="Longest wait a sign-in throttle imposes.")
    password_hash_concurrency: int = Field(
        2, ge=1, le=64,
        description="Password checks (argon2id, memory- and CPU-hungry by design) one worker process runs at once; "
        "sign-ins beyond that wait a few seconds, then get 503 with Retry-After.",
    )
    metrics_public: bool = Field(
        False,
        description="Serve /metrics to anyone. By default it needs an API key with the `metrics` (or `admin`) scope, "
        "or a client address in metrics_allowed_addresses: its counters describe traffic and load.",
    )
    metrics_allowed_addresses: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Client addresses or networks (CIDR) that may read /metrics without a key, e.g. the Prometheus "
        "server's; as the server sees them (behind a proxy: the address the proxy headers give).",
    )
    session_cookie_secure: bool | None = Field(
        None,
        description="Mark the dashboard's cookies Secure: true, false, or unset to follow the request (Secure over HTTPS).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        import os

        toml_path = os.environ.get("CIVILITY_CONFIG_FILE")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


def settings_markdown() -> str:
    """The settings table for docs/settings.md (a test keeps the file equal to this)."""
    lines = [
        "| setting | environment variable | default | what it does |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        if isinstance(default, Path):
            default = default.relative_to(PROJECT_ROOT) if default.is_relative_to(PROJECT_ROOT) else default
        lines.append(f"| `{name}` | `CIVILITY_{name.upper()}` | `{default}` | {field.description} |")
    return "\n".join(lines) + "\n"
