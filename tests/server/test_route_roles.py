"""Every route of the application declares the role it needs, and enforces it.

The routes are enumerated from the application itself: a new route without a ``Need`` fails
here, and every declared role is proved by calling the route as each lesser role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from leaktrace.core.registry import Registry
from leaktrace.server.app import create_app
from leaktrace.server.auth import Need
from leaktrace.server.repo import accounts
from leaktrace.server.repo.accounts import Account
from tests.server.conftest import ROLES, add_user, server_config
from tests.store.backends import sqlite_url

# Routes anyone may call: deliberate, so a new one must be added here by hand.
PUBLIC_ROUTES = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/report"),
    ("POST", "/report"),
    ("GET", "/report/follow-up"),
    ("POST", "/report/follow-up"),
    ("POST", "/api/reports"),
    ("POST", "/api/reports/follow-up"),
    ("POST", "/api/reports/follow-up/messages"),
    ("GET", "/b/{token}"),
    ("GET", "/b/{token}/download"),
    ("POST", "/b/{token}/acknowledge"),
    ("GET", "/api/health"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/api/docs/oauth2-redirect"),
}
# What a viewer may change: only their own session and API tokens.
VIEWER_CHANGES = {
    ("POST", "/logout"),
    ("POST", "/account/tokens"),
    ("POST", "/account/tokens/{token_id}/revoke"),
    ("POST", "/api/tokens"),
    ("DELETE", "/api/tokens/{token_id}"),
}
SAFE = {"GET", "HEAD"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("roles")
    made = create_app(server_config(sqlite_url(folder), folder / "home"), registry)
    for role in ROLES:
        add_user(made, role, role)
    yield made
    made.state.services.close()


@pytest.fixture(scope="module")
def tokens(app: FastAPI) -> dict[str, str]:
    svc = app.state.services
    with svc.session() as session:
        return {
            role: accounts.create_token(session, Account(number, role, role), "roles test")
            for number, role in enumerate(ROLES, start=1)
        }


def declared_needs(route: APIRoute) -> list[Need]:
    return [d.call for d in route.dependant.dependencies if isinstance(d.call, Need)]


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, also inside included routers (newer FastAPI nests them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
            continue
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        yield from api_routes(inner or getattr(route, "routes", None) or ())


def app_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    found = sorted(
        (
            (method, route.path, route)
            for route in api_routes(app.routes)
            for method in route.methods - {"HEAD"}
        ),
        key=lambda entry: entry[:2],
    )
    assert len(found) > 60, "the walk over the application's routes found too few"
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)  # no such object: nothing is changed


def test_every_route_declares_exactly_one_role(app: FastAPI) -> None:
    undeclared = [
        f"{method} {path}"
        for method, path, route in app_routes(app)
        if len(declared_needs(route)) != 1
    ]
    assert undeclared == []


def test_public_routes_are_exactly_the_deliberate_ones(app: FastAPI) -> None:
    public = {
        (method, path)
        for method, path, route in app_routes(app)
        if declared_needs(route)[0].role == "public"
    }
    documentation = {r for r in PUBLIC_ROUTES if r[1].startswith("/api/docs") or "openapi" in r[1]}
    assert public == PUBLIC_ROUTES - documentation


def test_a_viewer_may_change_nothing_but_their_own_session_and_tokens(app: FastAPI) -> None:
    viewer_changes = {
        (method, path)
        for method, path, route in app_routes(app)
        if method not in SAFE and declared_needs(route)[0].role == "viewer"
    }
    assert viewer_changes == VIEWER_CHANGES


def route_cases(app: FastAPI) -> Iterator[tuple[str, str, str]]:
    for method, path, route in app_routes(app):
        yield method, path, declared_needs(route)[0].role


def test_every_route_refuses_anyone_below_its_role(app: FastAPI, tokens: dict[str, str]) -> None:
    client = TestClient(app, follow_redirects=False)
    checked = 0
    for method, path, role in route_cases(app):
        if role == "public":
            continue
        url = concrete(path)
        client.cookies.clear()  # a script's request: no CSRF cookie, so only the role decides
        anonymous = client.request(method, url)
        if path.startswith("/api/"):
            assert anonymous.status_code == 401, f"{method} {path} without an account"
        else:
            assert anonymous.status_code == 303, f"{method} {path} without an account"
            assert anonymous.headers["location"].startswith("/login")
        for lesser in ROLES[: ROLES.index(role)]:
            headers = {"authorization": f"Bearer {tokens[lesser]}"}
            client.cookies.clear()
            refused = client.request(method, url, headers=headers)
            assert refused.status_code == 403, f"{method} {path} as {lesser}"
            assert "role" in refused.text
        headers = {"authorization": f"Bearer {tokens[role]}"}
        allowed = client.request(method, url, headers=headers)
        assert allowed.status_code not in (401, 403), f"{method} {path} as {role}"
        assert allowed.status_code < 500, f"{method} {path} as {role}: {allowed.text}"
        checked += 1
    assert checked > 50


def test_public_routes_answer_without_an_account(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    for method, path, role in route_cases(app):
        if role != "public":
            continue
        client.cookies.clear()
        response = client.request(method, concrete(path))
        assert response.status_code not in (401, 403, 500), f"{method} {path}"


def test_the_openapi_schema_documents_the_api(app: FastAPI) -> None:
    schema = TestClient(app).get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/scans",
        "/api/findings/{finding_id}",
        "/api/cases",
        "/api/reports",
        "/api/devices/{device_id}/exposure",
        "/api/briefings",
        "/api/trace",
    } <= paths
    assert all(p.startswith("/api/") for p in paths)
