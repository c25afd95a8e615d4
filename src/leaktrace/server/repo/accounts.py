"""Accounts, browser sessions and API tokens. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from leaktrace.server.passwords import Passwords, password_problem
from leaktrace.server.repo import ServerError, audit, not_found, utcnow
from leaktrace.store.models import ApiTokenRow, UserRow, WebSessionRow

ROLES = ("viewer", "analyst", "admin")
"""From least to most allowed: each role may do everything the ones before it may."""
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
TOKEN_PREFIX = "lt_"  # noqa: S105 (a prefix that marks our tokens, not a secret)


@dataclass(frozen=True)
class Account:
    """Who is asking: an account and its role."""

    id: int
    username: str
    role: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ServerError(422, f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def create_user(
    session: Session, passwords: Passwords, username: str, password: str, role: str, actor: str
) -> UserRow:
    if not USERNAME.fullmatch(username):
        raise ServerError(422, "a user name is 1-64 letters, digits or . _ @ - (no spaces)")
    check_role(role)
    problem = password_problem(password)
    if problem:
        raise ServerError(422, problem)
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise ServerError(409, f"user {username!r} already exists")
    row = UserRow(
        username=username,
        password_hash=passwords.hash(password),
        role=role,
        created_at=utcnow(),
        disabled_at=None,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "user.create", f"user:{row.id}", username=username, role=role)
    return row


def users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.username)))


def set_role(session: Session, user_id: int, role: str, actor: str) -> UserRow:
    row = session.get(UserRow, user_id)
    if row is None:
        raise not_found(f"user {user_id}")
    row.role = check_role(role)
    audit.record(session, actor, "user.role", f"user:{user_id}", role=role)
    return row


def authenticate(
    session: Session, passwords: Passwords, username: str, password: str
) -> Account | None:
    """The account whose name and password these are (and not disabled), else ``None``."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        passwords.dummy_verify()
        return None
    if not passwords.verify(row.password_hash, password) or row.disabled_at is not None:
        return None
    return Account(row.id, row.username, row.role)


def start_session(session: Session, account: Account, hours: float) -> str:
    """A new browser session for the account; returns the cookie's token."""
    token = new_token()
    now = utcnow()
    # Forget sessions that have run out (they are refused anyway): the table stays small.
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
    session.add(
        WebSessionRow(
            user_id=account.id,
            token_sha256=sha256(token),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    audit.record(session, account.username, "session.login", f"user:{account.id}")
    return token


def end_session(session: Session, token: str, actor: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_sha256 == sha256(token)))
    audit.record(session, actor, "session.logout", f"user:{actor}")


def session_account(session: Session, token: str) -> Account | None:
    stmt = (
        select(UserRow)
        .join(WebSessionRow, WebSessionRow.user_id == UserRow.id)
        .where(WebSessionRow.token_sha256 == sha256(token), WebSessionRow.expires_at > utcnow())
    )
    row = session.scalar(stmt)
    if row is None or row.disabled_at is not None:
        return None
    return Account(row.id, row.username, row.role)


def create_token(session: Session, account: Account, name: str) -> str:
    """A new API token for the account; the token itself is returned once, never stored."""
    name = name.strip()
    if not name or len(name) > 200:
        raise ServerError(422, "an API token needs a name of 1-200 characters")
    token = new_token()
    row = ApiTokenRow(
        user_id=account.id,
        name=name,
        token_sha256=sha256(token),
        created_at=utcnow(),
        last_used_at=None,
    )
    session.add(row)
    session.flush()
    audit.record(session, account.username, "token.create", f"token:{row.id}", name=name)
    return token


def tokens(session: Session, account: Account) -> list[ApiTokenRow]:
    stmt = select(ApiTokenRow).where(ApiTokenRow.user_id == account.id).order_by(ApiTokenRow.id)
    return list(session.scalars(stmt))


def revoke_token(session: Session, account: Account, token_id: int) -> None:
    row = session.get(ApiTokenRow, token_id)
    if row is None or (row.user_id != account.id and not account.may("admin")):
        raise not_found(f"token {token_id}")
    session.delete(row)
    audit.record(session, account.username, "token.revoke", f"token:{token_id}")


def token_account(session: Session, token: str) -> Account | None:
    stmt = (
        select(UserRow, ApiTokenRow)
        .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
        .where(ApiTokenRow.token_sha256 == sha256(token))
    )
    found = session.execute(stmt).first()
    if found is None or found[0].disabled_at is not None:
        return None
    user, token_row = found
    token_row.last_used_at = utcnow()
    return Account(user.id, user.username, user.role)
