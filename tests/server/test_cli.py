"""`leaktrace users` creates the accounts `leaktrace serve` logs in."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from leaktrace.cli.main import cli
from leaktrace.core.registry import Registry
from leaktrace.server.app import create_app
from tests.cli.runner import RunCli
from tests.server.conftest import Browser, server_config


def test_users_add_creates_an_account_that_can_log_in(
    tmp_path: Path, database_url: str, registry: Registry
) -> None:
    run = RunCli(tmp_path, database_url)
    added = CliRunner().invoke(
        cli,
        [
            "--home",
            str(tmp_path),
            "--db",
            database_url,
            "users",
            "add",
            "root",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert added.exit_code == 0, added.output
    assert "added root (admin)" in added.output
    assert "root" in run("users", "list").output
    app = create_app(server_config(database_url, tmp_path / "home"), registry)
    try:
        session = Browser(app)
        assert session.login("root", "a long enough password").status_code == 303
        assert session.get("/api/me").json()["role"] == "admin"
    finally:
        app.state.services.close()


def test_users_add_refuses_a_short_password_in_one_line(tmp_path: Path, database_url: str) -> None:
    RunCli(tmp_path, database_url)
    result = CliRunner().invoke(
        cli,
        ["--home", str(tmp_path), "--db", database_url, "users", "add", "x", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code == 2
    assert result.output.strip().endswith("a password needs at least 10 characters")


def test_serve_documents_its_options() -> None:
    RunCli(Path("."), "sqlite://")
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--host" in result.output
