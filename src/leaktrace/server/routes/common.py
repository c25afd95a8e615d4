"""Small helpers the routers share."""

from __future__ import annotations

from fastapi import Request

from leaktrace.server.ratelimit import RateLimiter
from leaktrace.server.repo import ServerError


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_rate(limiter: RateLimiter, *keys: str) -> None:
    """429 when any of ``keys`` (a client address, an account name) has tried too often."""
    waits = [limiter.hit(key) for key in keys]
    if any(waits):
        raise ServerError(429, f"too many attempts; try again in {max(waits):.0f} s")
