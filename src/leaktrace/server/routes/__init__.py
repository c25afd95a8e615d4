"""One router per area; ``ROUTERS`` is what the application mounts."""

from __future__ import annotations

from fastapi import APIRouter

from leaktrace.server.routes import (
    accounts,
    briefings,
    cases,
    devices,
    documents,
    findings,
    overview,
    reports,
)

ROUTERS: list[APIRouter] = [
    overview.router,
    accounts.router,
    findings.router,
    cases.router,
    reports.router,
    devices.router,
    briefings.router,
    documents.router,
]
