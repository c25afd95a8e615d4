"""The overview page (charts), its numbers as JSON, and a health check."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from leaktrace.server.auth import PUBLIC, VIEWER
from leaktrace.server.charts import SEVERITY_COLOURS, bar_chart, column_chart
from leaktrace.server.repo import overview
from leaktrace.server.repo.accounts import Account
from leaktrace.server.services import services
from leaktrace.server.web import page

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        numbers = overview.overview(session)
    days, per_day = zip(*numbers.per_day, strict=True) if numbers.per_day else ((), ())
    charts = {
        "per_day": column_chart(days, per_day, "Findings per day, last 30 days"),
        "by_detector": bar_chart(
            [d for d, _ in numbers.by_detector],
            [n for _, n in numbers.by_detector],
            "Findings by detector",
        ),
        "by_severity": bar_chart(
            [s for s, _ in numbers.by_severity],
            [n for _, n in numbers.by_severity],
            "Findings by severity",
            colours=tuple(reversed(SEVERITY_COLOURS)),
        ),
        "cases": bar_chart(
            [s for s, _ in numbers.cases_by_status],
            [n for _, n in numbers.cases_by_status],
            "Cases by status",
        ),
    }
    # The SVG is built from our own numbers and escaped labels: safe to embed as markup.
    return page(
        request,
        "overview.html",
        numbers=numbers,
        charts={name: Markup(svg) for name, svg in charts.items()},  # noqa: S704
    )


@router.get("/api/overview", tags=["overview"])
def api_overview(request: Request, who: Account = Depends(VIEWER)) -> dict[str, Any]:
    with services(request).session() as session:
        return asdict(overview.overview(session))


@router.get("/api/health", tags=["overview"])
def health(who: Account = Depends(PUBLIC)) -> dict[str, str]:
    return {"status": "ok"}
