"""`leaktrace serve`: the web dashboard and REST API; `leaktrace users`: its accounts."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from leaktrace.cli.common import CommandError
from leaktrace.cli.context import AppContext

if TYPE_CHECKING:
    from leaktrace.server.config import ServerConfig
    from leaktrace.server.services import Services


_SERVER_MODULES = ("fastapi", "uvicorn", "jinja2", "multipart", "argon2")


def _require_server_extra() -> None:
    """The dashboard's libraries are an extra: say how to get them rather than fail later."""
    missing = [name for name in _SERVER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise CommandError(
            f"the dashboard needs its optional libraries ({', '.join(missing)} not installed): "
            "pip install 'leaktrace[server]'"
        )


def _config(app: AppContext, max_upload_mb: int = 16) -> ServerConfig:
    from leaktrace.server.config import MIB, ServerConfig

    return ServerConfig(
        database_url=app.database_url, home=app.home, max_upload_bytes=max_upload_mb * MIB
    )


@click.command(short_help="Run the web dashboard and REST API.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--max-upload-mb",
    type=click.IntRange(1, 4096),
    default=16,
    show_default=True,
    help="Larger request bodies are refused with 413.",
)
@click.pass_obj
def serve(app: AppContext, host: str, port: int, max_upload_mb: int) -> None:
    """Serve the dashboard (pages at /) and the API (/api, schema at /api/openapi.json).

    Create the first account with `leaktrace users add NAME --role admin`. Put it behind a
    TLS proxy to serve it beyond this machine: cookies are marked Secure on HTTPS requests
    (uvicorn trusts the proxy's X-Forwarded-Proto from loopback).

    \b
    Examples:
      leaktrace users add alice --role admin
      leaktrace serve --port 8080
    """
    _require_server_extra()
    import uvicorn

    from leaktrace.core.errors import StoreError
    from leaktrace.core.pipeline import Scanner
    from leaktrace.server.app import create_app
    from leaktrace.server.scanning import server_policy

    try:
        application = create_app(_config(app, max_upload_mb))
        # Compile every detector's patterns now, not during the first upload (seconds).
        services = application.state.services
        Scanner(services.registry, server_policy(services))
    except StoreError as error:
        raise CommandError(str(error)) from None
    uvicorn.run(application, host=host, port=port, proxy_headers=True, log_level="info")


@click.group(short_help="Accounts of the dashboard: add, list, set role.")
def users() -> None:
    """Manage the dashboard's accounts (roles: admin, analyst, viewer)."""
    _require_server_extra()


@users.command("add")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(["admin", "analyst", "viewer"]), default="viewer", show_default=True
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
@click.pass_obj
def users_add(app: AppContext, username: str, role: str, password_stdin: bool) -> None:
    """Add an account USERNAME; the password is asked for (or read with --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _services(app) as svc, svc.session() as session:
        from leaktrace.server.repo import ServerError, accounts

        try:
            accounts.create_user(session, svc.passwords, username, password, role, "cli")
        except ServerError as error:
            raise CommandError(error.message) from None
    click.echo(f"added {username} ({role})")


@users.command("list")
@click.pass_obj
def users_list(app: AppContext) -> None:
    """List the accounts and their roles."""
    from leaktrace.server.repo import accounts

    with _services(app) as svc, svc.session() as session:
        for row in accounts.users(session):
            state = " (disabled)" if row.disabled_at else ""
            click.echo(f"{row.username:24s} {row.role}{state}")


@contextmanager
def _services(app: AppContext) -> Iterator[Services]:
    """The server's services for a command, with store errors as one-line command errors."""
    from leaktrace.core.errors import StoreError
    from leaktrace.server.services import Services

    try:
        svc = Services.start(_config(app))
    except StoreError as error:
        raise CommandError(str(error)) from None
    try:
        yield svc
    finally:
        svc.close()
