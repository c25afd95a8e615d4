"""Staff reports: the public form and follow-up by receipt code, and triage by the team."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from leaktrace.server.auth import ANALYST, PUBLIC, VIEWER
from leaktrace.server.repo import reports
from leaktrace.server.repo.accounts import Account
from leaktrace.server.routes.common import check_rate, client_address
from leaktrace.server.services import services
from leaktrace.server.web import page, redirect

router = APIRouter()
CODE = Field(min_length=4, max_length=64)


class NewReport(BaseModel):
    kind: Literal["leak", "lost_device"]
    text: str = Field(min_length=1, max_length=reports.MAX_TEXT)
    reporter: str | None = Field(default=None, max_length=200)
    """Name or contact; leave empty to stay anonymous."""


class FollowUp(BaseModel):
    receipt: str = CODE


class ReporterMessage(BaseModel):
    receipt: str = CODE
    text: str = Field(min_length=1, max_length=reports.MAX_TEXT)


class Reply(BaseModel):
    text: str = Field(min_length=1, max_length=reports.MAX_TEXT)


class ReportStatus(BaseModel):
    status: str = Field(max_length=32)


def limit_reports(request: Request) -> None:
    check_rate(services(request).report_limiter, "ip:" + client_address(request))


def report_dict(row: Any, messages: list[Any] | None = None, staff: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": row.id,
        "kind": row.kind,
        "status": row.status,
        "created_at": row.created_at.isoformat(),
    }
    if staff:
        result["reporter"] = row.reporter
    if messages is not None:
        result["messages"] = [
            {"at": m.at.isoformat(), "author": m.author, "text": m.text} for m in messages
        ]
    return result


# -- public pages -----------------------------------------------------------------------------


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_form(request: Request, who: Account = Depends(PUBLIC)) -> Response:
    return page(request, "report_form.html")


@router.post("/report", response_class=HTMLResponse, include_in_schema=False)
def report_submit(
    request: Request,
    kind: Annotated[str, Form(max_length=32)],
    text: Annotated[str, Form(max_length=reports.MAX_TEXT)],
    reporter: Annotated[str | None, Form(max_length=200)] = None,
    who: Account = Depends(PUBLIC),
) -> Response:
    limit_reports(request)
    with services(request).session() as session:
        row, code = reports.submit(session, kind, text, reporter)
    return page(request, "report_receipt.html", receipt=code, report=row)


@router.get("/report/follow-up", response_class=HTMLResponse, include_in_schema=False)
def follow_up_form(request: Request, who: Account = Depends(PUBLIC)) -> Response:
    return page(request, "report_follow_up.html", report=None)


@router.post("/report/follow-up", response_class=HTMLResponse, include_in_schema=False)
def follow_up(
    request: Request,
    receipt: Annotated[str, Form(max_length=64)],
    text: Annotated[str | None, Form(max_length=reports.MAX_TEXT)] = None,
    who: Account = Depends(PUBLIC),
) -> Response:
    limit_reports(request)
    with services(request).session() as session:
        row = reports.by_receipt(session, receipt)
        if text and text.strip():
            reports.add_message(session, row, reports.REPORTER, text)
        messages = reports.messages(session, row.id)
    return page(
        request,
        "report_follow_up.html",
        report=row,
        messages=messages,
        receipt=receipt,
        added=bool(text and text.strip()),
    )


# -- staff pages ------------------------------------------------------------------------------


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        rows = reports.list_reports(session)
    return page(request, "reports.html", reports=rows)


@router.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, report_id: int, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        row = reports.get_report(session, report_id)
        messages = reports.messages(session, report_id)
    return page(request, "report.html", report=row, messages=messages, statuses=reports.STATUSES)


@router.post("/reports/{report_id}/reply", include_in_schema=False)
def report_reply(
    request: Request,
    report_id: int,
    text: Annotated[str, Form(max_length=reports.MAX_TEXT)],
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        reports.add_message(session, reports.get_report(session, report_id), who.username, text)
    return redirect(f"/reports/{report_id}", "reply sent")


@router.post("/reports/{report_id}/status", include_in_schema=False)
def report_status(
    request: Request,
    report_id: int,
    status: Annotated[str, Form(max_length=32)],
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        reports.set_status(session, report_id, status, who.username)
    return redirect(f"/reports/{report_id}", f"status: {status}")


# -- API --------------------------------------------------------------------------------------


@router.post("/api/reports", status_code=201, tags=["reports"])
def api_report_submit(
    request: Request, body: NewReport, who: Account = Depends(PUBLIC)
) -> dict[str, Any]:
    """File a report (no account needed); keep the receipt code to follow up."""
    limit_reports(request)
    with services(request).session() as session:
        row, code = reports.submit(session, body.kind, body.text, body.reporter)
        return {"receipt": code, **report_dict(row, staff=False)}


@router.post("/api/reports/follow-up", tags=["reports"])
def api_follow_up(
    request: Request, body: FollowUp, who: Account = Depends(PUBLIC)
) -> dict[str, Any]:
    """The report and its messages, for whoever holds the receipt code."""
    limit_reports(request)
    with services(request).session() as session:
        row = reports.by_receipt(session, body.receipt)
        return report_dict(row, reports.messages(session, row.id), staff=False)


@router.post("/api/reports/follow-up/messages", status_code=201, tags=["reports"])
def api_reporter_message(
    request: Request, body: ReporterMessage, who: Account = Depends(PUBLIC)
) -> dict[str, Any]:
    """Add information to a report, with its receipt code."""
    limit_reports(request)
    with services(request).session() as session:
        row = reports.by_receipt(session, body.receipt)
        reports.add_message(session, row, reports.REPORTER, body.text)
        return report_dict(row, reports.messages(session, row.id), staff=False)


@router.get("/api/reports", tags=["reports"])
def api_reports(
    request: Request, status: str | None = None, who: Account = Depends(VIEWER)
) -> list[dict[str, Any]]:
    with services(request).session() as session:
        return [report_dict(row) for row in reports.list_reports(session, status)]


@router.get("/api/reports/{report_id}", tags=["reports"])
def api_report(request: Request, report_id: int, who: Account = Depends(VIEWER)) -> dict[str, Any]:
    with services(request).session() as session:
        row = reports.get_report(session, report_id)
        return report_dict(row, reports.messages(session, report_id))


@router.post("/api/reports/{report_id}/replies", status_code=201, tags=["reports"])
def api_report_reply(
    request: Request, report_id: int, body: Reply, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        row = reports.get_report(session, report_id)
        reports.add_message(session, row, who.username, body.text)
        return report_dict(row, reports.messages(session, report_id))


@router.post("/api/reports/{report_id}/status", tags=["reports"])
def api_report_status(
    request: Request, report_id: int, body: ReportStatus, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        return report_dict(reports.set_status(session, report_id, body.status, who.username))
