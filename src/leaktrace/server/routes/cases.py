"""Cases: open one (from findings, an incident or a report), move its status, add notes and
evidence, read its timeline; pages and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from leaktrace.server.auth import ANALYST, VIEWER
from leaktrace.server.repo import cases
from leaktrace.server.repo.accounts import Account
from leaktrace.server.services import services
from leaktrace.server.web import page, redirect

router = APIRouter()


class NewCase(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    incident_id: int | None = None
    finding_ids: list[int] = Field(default_factory=list, max_length=1000)
    report_id: int | None = None


class StatusChange(BaseModel):
    status: str = Field(max_length=32)


class Note(BaseModel):
    text: str = Field(min_length=1, max_length=cases.MAX_NOTE)


class Evidence(BaseModel):
    finding_id: int | None = None
    report_id: int | None = None


def case_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "status": row.status,
        "incident_id": row.incident_id,
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def event_dict(row: Any) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(),
        "actor": row.actor,
        "kind": row.kind,
        "text": row.text,
        "finding_id": row.finding_id,
        "report_id": row.report_id,
    }


# -- pages ------------------------------------------------------------------------------------


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def cases_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        rows = cases.list_cases(session)
    return page(request, "cases.html", cases=rows)


@router.post("/cases", include_in_schema=False)
def case_create(
    request: Request,
    title: Annotated[str, Form(max_length=300)],
    finding_ids: Annotated[list[int], Form(max_length=1000)] = [],  # noqa: B006
    incident_id: Annotated[int | None, Form()] = None,
    report_id: Annotated[int | None, Form()] = None,
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        row = cases.create_case(session, title, who.username, incident_id, finding_ids, report_id)
    return redirect(f"/cases/{row.id}", "case opened")


@router.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(request: Request, case_id: int, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        row = cases.get_case(session, case_id)
        events = cases.timeline(session, case_id)
    return page(request, "case.html", case=row, events=events, statuses=cases.STATUSES)


@router.post("/cases/{case_id}/status", include_in_schema=False)
def case_status(
    request: Request,
    case_id: int,
    status: Annotated[str, Form(max_length=32)],
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        cases.set_status(session, case_id, status, who.username)
    return redirect(f"/cases/{case_id}", f"status: {status}")


@router.post("/cases/{case_id}/notes", include_in_schema=False)
def case_note(
    request: Request,
    case_id: int,
    text: Annotated[str, Form(max_length=cases.MAX_NOTE)],
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        cases.add_note(session, case_id, text, who.username)
    return redirect(f"/cases/{case_id}", "note added")


@router.post("/cases/{case_id}/evidence", include_in_schema=False)
def case_evidence(
    request: Request,
    case_id: int,
    finding_id: Annotated[int | None, Form()] = None,
    report_id: Annotated[int | None, Form()] = None,
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        cases.link_evidence(session, case_id, who.username, finding_id, report_id)
    return redirect(f"/cases/{case_id}", "evidence linked")


# -- API --------------------------------------------------------------------------------------


@router.get("/api/cases", tags=["cases"])
def api_cases(
    request: Request, status: str | None = None, who: Account = Depends(VIEWER)
) -> list[dict[str, Any]]:
    with services(request).session() as session:
        return [case_dict(row) for row in cases.list_cases(session, status)]


@router.post("/api/cases", status_code=201, tags=["cases"])
def api_case_create(
    request: Request, body: NewCase, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        row = cases.create_case(
            session, body.title, who.username, body.incident_id, body.finding_ids, body.report_id
        )
        return case_dict(row)


@router.get("/api/cases/{case_id}", tags=["cases"])
def api_case(request: Request, case_id: int, who: Account = Depends(VIEWER)) -> dict[str, Any]:
    with services(request).session() as session:
        row = cases.get_case(session, case_id)
        events = cases.timeline(session, case_id)
        return {**case_dict(row), "timeline": [event_dict(e) for e in events]}


@router.post("/api/cases/{case_id}/status", tags=["cases"])
def api_case_status(
    request: Request, case_id: int, body: StatusChange, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        return case_dict(cases.set_status(session, case_id, body.status, who.username))


@router.post("/api/cases/{case_id}/notes", status_code=201, tags=["cases"])
def api_case_note(
    request: Request, case_id: int, body: Note, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        return event_dict(cases.add_note(session, case_id, body.text, who.username))


@router.post("/api/cases/{case_id}/evidence", status_code=201, tags=["cases"])
def api_case_evidence(
    request: Request, case_id: int, body: Evidence, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        event = cases.link_evidence(session, case_id, who.username, body.finding_id, body.report_id)
        return event_dict(event)
