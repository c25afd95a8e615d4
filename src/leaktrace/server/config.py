"""Settings of a running server: where the store is, and the limits it enforces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` attempts per ``seconds`` for one client (and one account, at login)."""

    count: int
    seconds: float


@dataclass(frozen=True)
class ServerConfig:
    """Everything `leaktrace serve` decides before the first request."""

    database_url: str
    home: Path
    max_upload_bytes: int = 16 * MIB
    session_hours: float = 12.0
    login_limit: RateLimit = RateLimit(10, 60.0)
    report_limit: RateLimit = RateLimit(5, 60.0)
    # argon2id cost; tests lower it to stay fast (it is still argon2id).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    secure_cookies: bool | None = None
    """``True``/``False`` forces the cookies' Secure flag; ``None``: set it on HTTPS requests."""

    @property
    def briefings_folder(self) -> Path:
        """Where issued briefings' copies are kept for their recipients to download."""
        return self.home / "briefings"
