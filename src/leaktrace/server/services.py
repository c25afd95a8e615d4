"""What every request handler shares: the store, the scanner's registry, limits and templates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from leaktrace.core.registry import Registry
from leaktrace.server.config import ServerConfig
from leaktrace.server.passwords import Passwords
from leaktrace.server.ratelimit import RateLimiter
from leaktrace.store import Store

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class Services:
    config: ServerConfig
    store: Store
    registry: Registry
    passwords: Passwords
    login_limiter: RateLimiter
    report_limiter: RateLimiter
    templates: Jinja2Templates

    @classmethod
    def start(cls, config: ServerConfig, registry: Registry | None = None) -> Services:
        """Open the store (creating or upgrading its schema) and load the plugins once."""
        return cls(
            config=config,
            store=Store.open(config.database_url),
            registry=registry or Registry.from_entry_points(),
            passwords=Passwords(config.argon2_time_cost, config.argon2_memory_kib),
            login_limiter=RateLimiter(config.login_limit),
            report_limiter=RateLimiter(config.report_limit),
            templates=Jinja2Templates(directory=str(TEMPLATES)),
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session in one transaction: committed when the block ends without error."""
        with Session(self.store.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.store.close()


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
