"""The server under test: the real application on a real store (SQLite and PostgreSQL), driven
through HTTP with starlette's TestClient, with one account per role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from leaktrace.core.registry import Registry
from leaktrace.server.app import create_app
from leaktrace.server.config import RateLimit, ServerConfig
from leaktrace.server.repo import accounts
from tests.store.backends import BACKENDS, postgres_schema_url, sqlite_url

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "analyst", "admin")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
LEAK = (
    b"deployment notes\n"
    b"aws_access_key_id = AKIAIOSFODNN7EXAMPLQ\n"
    b"token ghp_R4nd0mL00kingT0kenW1thL3tters0123\n"
)


def server_config(database_url: str, home: Path, **changes: Any) -> ServerConfig:
    """Cheap argon2 (still argon2id) and generous rate limits, unless a test asks otherwise."""
    config = ServerConfig(
        database_url=database_url,
        home=home,
        argon2_time_cost=1,
        argon2_memory_kib=8 * 1024,
        login_limit=RateLimit(1000, 60),
        report_limit=RateLimit(1000, 60),
    )
    return replace(config, **changes)


def add_user(app: FastAPI, username: str, role: str) -> None:
    svc = app.state.services
    with svc.session() as session:
        accounts.create_user(session, svc.passwords, username, PASSWORD, role, "test")


class Browser:
    """A TestClient that behaves like a browser session: it keeps cookies and sends the CSRF
    token the pages embed."""

    def __init__(self, app: FastAPI, base_url: str = "http://testserver") -> None:
        self.client = TestClient(app, base_url=base_url, follow_redirects=False)

    @property
    def csrf(self) -> str:
        token = self.client.cookies.get("lt_csrf")
        if token is None:
            self.client.get("/login")
            token = self.client.cookies.get("lt_csrf")
        assert token
        return token

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        page = self.client.get("/login")
        token = CSRF_FIELD.search(page.text)
        assert token, "the login page embeds a CSRF token"
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token.group(1)},
        )

    def form(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """POST a form as a page would (with the CSRF field)."""
        return self.client.post(path, data={**(data or {}), "csrf_token": self.csrf}, **kwargs)

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call the API from the logged-in page's session (CSRF header, as a script on it would)."""
        headers = {"x-csrf-token": self.csrf, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)


@pytest.fixture(scope="session")
def server_pg_url() -> Iterator[str]:
    """One PostgreSQL schema for all server tests, migrated by the first; emptied before each."""
    yield from postgres_schema_url()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store on every backend; on PostgreSQL by emptying one shared schema
    (migrating a new schema for every test is most of the suite's time)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "db")
        return
    url = request.getfixturevalue("server_pg_url")
    empty_tables(url)
    yield url


def empty_tables(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            names = [n for n in inspect(connection).get_table_names() if n != "alembic_version"]
            if names:
                quoted = ", ".join(f'"{name}"' for name in names)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture
def make_app(
    database_url: str, tmp_path: Path, registry: Registry
) -> Iterator[Callable[..., FastAPI]]:
    made: list[FastAPI] = []

    def make(**changes: Any) -> FastAPI:
        app = create_app(server_config(database_url, tmp_path / "home", **changes), registry)
        made.append(app)
        for role in ROLES:
            add_user(app, role, role)
        return app

    yield make
    for app in made:
        app.state.services.close()


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app()


@pytest.fixture
def browser(app: FastAPI) -> Browser:
    """An anonymous visitor."""
    return Browser(app)


@pytest.fixture
def as_role(app: FastAPI) -> Callable[[str], Browser]:
    """A logged-in session for the account of a role (the account is named after its role)."""

    def login(role: str) -> Browser:
        session = Browser(app)
        response = session.login(role)
        assert response.status_code == 303, response.text
        return session

    return login


@pytest.fixture
def analyst(as_role: Callable[[str], Browser]) -> Browser:
    return as_role("analyst")


def upload_scan(session: Browser, name: str = "notes.txt", data: bytes = LEAK) -> dict[str, Any]:
    response = session.api("POST", "/api/scans", files={"files": (name, data)})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def created_id(response: httpx.Response) -> int:
    """The id at the end of the page a form post redirected to (``/cases/7?flash=...``)."""
    assert response.status_code == 303, response.text
    path = response.headers["location"].split("?", 1)[0]
    return int(path.rsplit("/", 1)[1])
