"""Logging in, sessions, CSRF, API tokens, rate limits and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import select, update

from leaktrace.server.config import RateLimit
from leaktrace.store.models import UserRow, WebSessionRow
from tests.server.conftest import PASSWORD, Browser


def test_pages_send_an_anonymous_visitor_to_the_login_page(browser: Browser) -> None:
    response = browser.get("/findings")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/findings"


def test_the_api_answers_401_without_an_account(browser: Browser) -> None:
    response = browser.get("/api/findings")
    assert response.status_code == 401
    assert "log in" in response.json()["detail"]


def test_login_sets_a_session_cookie_that_scripts_cannot_read(browser: Browser) -> None:
    response = browser.login("analyst")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "lt_session=" in cookie
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert browser.get("/api/me").json() == {"id": 2, "username": "analyst", "role": "analyst"}


def test_pages_carry_security_headers(browser: Browser) -> None:
    headers = browser.get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


def test_cookies_are_secure_over_https(app: FastAPI) -> None:
    session = Browser(app, base_url="https://testserver")
    response = session.login("viewer")
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    assert cookies and all("secure" in c.lower() for c in cookies)


def test_a_wrong_password_is_refused_and_audited(
    browser: Browser, as_role: Callable[[str], Browser]
) -> None:
    response = browser.login("analyst", "not the password")
    assert response.status_code == 401
    assert "wrong user name or password" in response.text
    assert browser.get("/api/me").status_code == 401
    audit = as_role("admin").get("/api/audit").json()
    assert any(e["action"] == "session.failed" and e["actor"] == "analyst" for e in audit)


def test_passwords_are_stored_as_argon2id_hashes(app: FastAPI) -> None:
    with app.state.services.session() as session:
        stored = session.scalars(select(UserRow.password_hash)).all()
    assert stored and all(h.startswith("$argon2id$") for h in stored)
    assert all(PASSWORD not in h for h in stored)


def test_a_form_without_the_csrf_token_is_refused(analyst: Browser) -> None:
    response = analyst.client.post("/cases", data={"title": "forged"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    wrong = analyst.client.post("/cases", data={"title": "forged", "csrf_token": "guess"})
    assert wrong.status_code == 403
    assert analyst.get("/api/cases").json() == []


def test_a_cookie_authenticated_api_call_needs_the_csrf_header(analyst: Browser) -> None:
    refused = analyst.client.post("/api/cases", json={"title": "x"})
    assert refused.status_code == 403
    accepted = analyst.api("POST", "/api/cases", json={"title": "x"})
    assert accepted.status_code == 201


def test_login_itself_needs_the_csrf_token(browser: Browser) -> None:
    response = browser.client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 403


def test_logout_ends_the_session(analyst: Browser) -> None:
    cookie = analyst.client.cookies.get("lt_session")
    assert analyst.form("/logout").status_code == 303
    stale = Browser(analyst.client.app)  # type: ignore[arg-type]
    stale.client.cookies.set("lt_session", cookie or "")
    assert stale.get("/api/me").status_code == 401


def test_api_tokens_work_for_scripts_until_revoked(app: FastAPI, analyst: Browser) -> None:
    created = analyst.api("POST", "/api/tokens", json={"name": "nightly upload"})
    assert created.status_code == 201
    token = created.json()["token"]
    script = Browser(app).client  # no cookies, no CSRF: a bearer token cannot be forged
    headers = {"authorization": f"Bearer {token}"}
    assert script.get("/api/me", headers=headers).json()["username"] == "analyst"
    assert (
        script.post("/api/cases", json={"title": "from cron"}, headers=headers).status_code == 201
    )
    token_id = analyst.get("/api/tokens").json()[0]["id"]
    assert analyst.api("DELETE", f"/api/tokens/{token_id}").status_code == 204
    assert script.get("/api/me", headers=headers).status_code == 401


def test_login_is_rate_limited(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(login_limit=RateLimit(3, 60))
    browser = Browser(app)
    statuses = [browser.login("viewer", "wrong password!").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Even the right password waits: the limit is on attempts, not failures.
    assert browser.login("viewer").status_code == 429


def test_the_login_page_never_redirects_off_site(browser: Browser) -> None:
    page = browser.get("/login?next=//evil.example/")
    assert 'name="next" value="/"' in page.text


def test_admin_adds_users_and_the_change_is_audited(as_role: Callable[[str], Browser]) -> None:
    admin = as_role("admin")
    added = admin.api(
        "POST", "/api/users", json={"username": "carol", "password": PASSWORD, "role": "analyst"}
    )
    assert added.status_code == 201
    assert Browser(admin.client.app).login("carol").status_code == 303  # type: ignore[arg-type]
    short = admin.api(
        "POST", "/api/users", json={"username": "dan", "password": "x", "role": "viewer"}
    )
    assert short.status_code == 422
    assert "at least" in short.json()["detail"]
    twice = admin.api(
        "POST", "/api/users", json={"username": "carol", "password": PASSWORD, "role": "viewer"}
    )
    assert twice.status_code == 409
    actions = [e["action"] for e in admin.get("/api/audit").json()]
    assert "user.create" in actions
    assert "carol" in admin.get("/admin/audit").text


def test_an_expired_session_is_refused_and_then_forgotten(app: FastAPI, analyst: Browser) -> None:
    svc = app.state.services
    with svc.session() as session:
        session.execute(update(WebSessionRow).values(expires_at=datetime.now(UTC) - timedelta(1)))
    assert analyst.get("/api/me").status_code == 401
    assert analyst.get("/findings").status_code == 303
    Browser(app).login("viewer")
    with svc.session() as session:
        left = session.scalars(select(WebSessionRow.user_id)).all()
    assert left == [1]  # only the viewer's new session
