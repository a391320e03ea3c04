"""`civility serve`: the API and the dashboard on one port, in one or several worker processes."""

from __future__ import annotations

import typer
import uvicorn

from civility.api.app import create_app
from civility.cli.settings import load_settings
from civility.services.context import build_services
from civility.config import Settings
from civility.services.keys import LocalKey, ensure_local_key
from civility.services.users import LocalAdmin, ensure_local_admin
from civility.services.sites import list_sites
from civility.cli.demo import REFERENCE_PAGE, load_into_app
from civility.logs import configure as configure_logging


def credential_lines(url: str, settings: Settings, local_key: LocalKey, admin: LocalAdmin) -> list[str]:
    """What serve says about its credentials: their values only on the start that made them (a terminal's scroll-back
    and a service's log are read by more people than the files are), afterwards where they are kept."""
    if admin.created:
        dashboard = f"user admin  password {admin.password}  (kept in {settings.local_admin_file})"
    elif admin.password:
        dashboard = f"user admin  password in {settings.local_admin_file}"
    else:
        dashboard = "(sign in with a user made by `civility users create`)"
    key = local_key.key if local_key.created else f"$(cat {settings.local_key_file})"
    kept = f"{local_key.key}  (kept in {settings.local_key_file})" if local_key.created else f"in {settings.local_key_file}"
    return [
        f"  Dashboard: {url}/  {dashboard}",
        f"  Perspective API: {url}/v1alpha1/comments:analyze?key={key}",
        f"  discovery:       {url}/$discovery/rest?version=v1alpha1",
        f"  API key for local use: {kept}",
    ]


def serve(
    host: str = typer.Option(None, help="Address to bind (default from CIVILITY_HOST, else 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default from CIVILITY_PORT, else 8080)."),
    log_level: str = typer.Option("info", help="uvicorn log level."),
    workers: int = typer.Option(None, help="Worker processes (default from CIVILITY_WORKERS, else 1); each loads the models."),
) -> None:
    """Migrate the database, load the models and serve until stopped.

    Example: civility serve --port 8080
    """
    settings = load_settings(host=host, port=port)
    services = build_services(settings)
    local_key = ensure_local_key(services.sessions, settings.local_key_file)
    admin = ensure_local_admin(services.sessions, settings.local_admin_file)
    app = create_app(settings, services)
    if settings.load_demo and REFERENCE_PAGE.exists() and not list_sites(services):
        app.state.services = services
        for result in load_into_app(app, local_key.key):
            typer.echo(f"  demo comment {result['external_id']}: {result['decision']}")
    url = f"http://{settings.host}:{settings.port}"
    typer.echo(f"Civility serving on {url}")
    for line in credential_lines(url, settings, local_key, admin):
        typer.echo(line)
    labels = [s.info.label + (" (candidate: pin only)" if s.info.candidate else "") for s in services.registry.scorers]
    typer.echo(f"  models: {', '.join(labels) or 'none found'}")
    workers = workers or settings.workers
    typer.echo(f"  workers: {workers}")
    configure_logging(log_level)
    common = {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "timeout_graceful_shutdown": settings.shutdown_grace_seconds,
        # Idle connections outlive the client's own idle timeout, so the server never closes one a client is reusing.
        "timeout_keep_alive": settings.keep_alive_seconds,
    }
    if workers > 1:
        # Each worker builds its own services from the same settings (environment); state is in the database.
        services.close()
        uvicorn.run("civility.api.app:app_from_environment", factory=True, workers=workers, **common)
    else:
        uvicorn.run(app, **common)
