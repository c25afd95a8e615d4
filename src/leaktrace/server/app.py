"""The FastAPI application: routers per area, error handling, cookies and security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from leaktrace import __version__
from leaktrace.core.errors import LeakTraceError, StoreError, UsageError
from leaktrace.core.registry import Registry
from leaktrace.server import csrf
from leaktrace.server.auth import LoginRequired, is_page
from leaktrace.server.config import ServerConfig
from leaktrace.server.limits import BodyLimit
from leaktrace.server.repo import ServerError
from leaktrace.server.routes import ROUTERS
from leaktrace.server.services import Services
from leaktrace.server.web import error_page, secure_cookies

STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
}


def create_app(config: ServerConfig, registry: Registry | None = None) -> FastAPI:
    """The dashboard and API for the store at ``config.database_url`` (``registry``: plugins
    already loaded, else the installed entry points)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.services.close()

    app = FastAPI(
        title="LeakTrace",
        version=__version__,
        description="Findings, triage, cases, staff reports, devices and traced briefings.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = Services.start(config, registry)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)
    app.middleware("http")(_cookies_and_headers)
    app.add_middleware(BodyLimit, max_bytes=config.max_upload_bytes)
    return app


async def _cookies_and_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if is_page(request):
        response.headers.setdefault("cache-control", "no-store")
    token = getattr(request.state, "csrf", None)
    if isinstance(token, str) and request.cookies.get(csrf.COOKIE) != token:
        response.set_cookie(
            csrf.COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request),
        )
    return response


def _add_error_handlers(app: FastAPI) -> None:
    app.exception_handler(ServerError)(_server_error)
    app.exception_handler(LoginRequired)(_login_required)
    app.exception_handler(RequestValidationError)(_invalid_request)
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(LeakTraceError)(_leaktrace_error)
    app.exception_handler(IntegrityError)(_conflict)
    app.exception_handler(SQLAlchemyError)(_database_error)


def error_response(request: Request, status: int, message: str) -> Response:
    if is_page(request):
        return error_page(request, status, message)
    return JSONResponse({"detail": message}, status_code=status)


async def _server_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServerError)
    response = error_response(request, error.status, error.message)
    if error.status == 429:
        response.headers["retry-after"] = "60"
    return response


async def _login_required(request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequired)
    return RedirectResponse(error.location, status_code=303)


async def _invalid_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        problems.append(f"{where}: {problem.get('msg', 'invalid')}" if where else problem["msg"])
    message = "invalid request: " + "; ".join(problems)
    if is_page(request):
        return error_page(request, 422, message)
    return JSONResponse({"detail": message, "errors": problems}, status_code=422)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    return error_response(request, error.status_code, str(error.detail))


async def _leaktrace_error(request: Request, error: Exception) -> Response:
    if isinstance(error, StoreError):
        return error_response(request, 503, str(error))
    status = 400 if isinstance(error, UsageError) else 422
    return error_response(request, status, str(error))


async def _conflict(request: Request, error: Exception) -> Response:
    return error_response(request, 409, "this conflicts with something that already exists")


async def _database_error(request: Request, error: Exception) -> Response:
    return error_response(request, 503, "the database is unavailable; try again shortly")
