"""Who may call a route: every route declares the least role it needs with one ``Need``.

    @router.get("/api/findings")
    def list_findings(who: Account = Depends(VIEWER)) -> ...

``PUBLIC`` routes (login, the staff report form, a briefing recipient's link) need no account.
Requests authenticate with the session cookie (pages) or ``Authorization: Bearer <token>``
(scripts). Unsafe requests that a browser could be tricked into sending must carry the CSRF
token (:mod:`leaktrace.server.csrf`). A missing account is 401 on the API and a redirect to
the login page for pages; a role too low is 403.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request

from leaktrace.server import csrf
from leaktrace.server.repo import ServerError, accounts
from leaktrace.server.repo.accounts import Account
from leaktrace.server.services import services

SESSION_COOKIE = "lt_session"
ANONYMOUS = Account(0, "anonymous", "viewer")


class LoginRequired(Exception):
    """A page needs an account: the handler sends the browser to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url

    @property
    def location(self) -> str:
        return f"/login?next={quote(self.next_url, safe='/')}"


class Need:
    """A dependency that authenticates the request and checks its role (``public``: none)."""

    def __init__(self, role: str) -> None:
        self.role = role

    async def __call__(self, request: Request) -> Account:
        if csrf.needs_check(request) and not await csrf.is_valid(request):
            raise ServerError(403, "missing or wrong CSRF token; reload the page and try again")
        account = identify(request)
        if self.role == "public":
            return account or ANONYMOUS
        if account is None:
            if is_page(request):
                raise LoginRequired(str(request.url.path))
            raise ServerError(401, "log in or send an API token (Authorization: Bearer ...)")
        if not account.may(self.role):
            raise ServerError(403, f"this needs the {self.role} role; you are {account.role}")
        return account

    def __repr__(self) -> str:
        return f"Need({self.role!r})"


PUBLIC = Need("public")
VIEWER = Need("viewer")
ANALYST = Need("analyst")
ADMIN = Need("admin")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def identify(request: Request) -> Account | None:
    """The account of the bearer token or session cookie, if either is valid."""
    if hasattr(request.state, "account"):
        cached: Account | None = request.state.account
        return cached
    account = _lookup(request)
    request.state.account = account
    return account


def _lookup(request: Request) -> Account | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    with services(request).session() as session:
        if scheme.lower() == "bearer" and token:
            return accounts.token_account(session, token.strip())
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            return accounts.session_account(session, cookie)
    return None
