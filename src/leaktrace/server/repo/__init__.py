"""The server's data access: one module per area, each function given an open ORM session.

Functions that change something also write its audit row (:func:`audit.record`) in the same
transaction, so no change goes unrecorded. Expected refusals raise :class:`ServerError`.
"""

from __future__ import annotations

from datetime import UTC, datetime


class ServerError(Exception):
    """A request the server refuses, with the HTTP status and a message for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found(what: str) -> ServerError:
    return ServerError(404, f"{what} not found")


def utcnow() -> datetime:
    return datetime.now(UTC)
