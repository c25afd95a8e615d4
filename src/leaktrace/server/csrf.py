"""CSRF protection by double submission: a random cookie that forms and scripts echo back.

A page on another site can make a browser send our cookies, but cannot read them, so it
cannot put the same value in a form field or an ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import secrets

from fastapi import Request

COOKIE = "lt_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"


def token_for(request: Request) -> str:
    """The token this request's pages must embed (the cookie's, or a new one to set)."""
    existing = getattr(request.state, "csrf", None)
    if isinstance(existing, str):
        return existing
    token = request.cookies.get(COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf = token
    return token


async def submitted_token(request: Request) -> str | None:
    header = request.headers.get(HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(FIELD)
        return value if isinstance(value, str) else None
    return None


async def is_valid(request: Request) -> bool:
    cookie = request.cookies.get(COOKIE)
    submitted = await submitted_token(request)
    return bool(cookie and submitted) and secrets.compare_digest(
        str(cookie).encode(), str(submitted).encode()
    )


def needs_check(request: Request) -> bool:
    """Only requests a browser could be tricked into sending: unsafe methods with our cookies
    or as a form (a cross-site page can post a form, but not JSON without our consent)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return False
    content_type = request.headers.get("content-type", "")
    is_form = content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
    )
    return is_form or bool(request.cookies)
