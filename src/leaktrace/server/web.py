"""Rendering pages: every template gets the account, the CSRF token and a flash message."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from leaktrace.server import csrf
from leaktrace.server.auth import identify
from leaktrace.server.services import services

SEVERITY_NAMES = ("info", "low", "medium", "high", "critical")


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return services(request).templates.TemplateResponse(
        request,
        template,
        {
            "account": identify(request),
            "csrf_token": csrf.token_for(request),
            "flash": request.query_params.get("flash"),
            "severity_names": SEVERITY_NAMES,
            **context,
        },
        status_code=status_code,
    )


def redirect(url: str, flash: str | None = None) -> RedirectResponse:
    """After a form post: go to the page that shows the result (303: the browser GETs it)."""
    if flash:
        url += ("&" if "?" in url else "?") + "flash=" + quote(flash)
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status_code=status, status=status, message=message)


def secure_cookies(request: Request) -> bool:
    """Secure cookies over HTTPS (behind a proxy: run uvicorn with --proxy-headers)."""
    forced = services(request).config.secure_cookies
    return forced if forced is not None else request.url.scheme == "https"
