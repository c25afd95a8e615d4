"""Uploads and scans, findings and their triage, incidents; pages and API."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from leaktrace.core.baseline import FORMAT as BASELINE_FORMAT
from leaktrace.server.auth import ANALYST, VIEWER
from leaktrace.server.repo import ServerError, audit, briefings, cases, not_found, triage
from leaktrace.server.repo.accounts import Account, users
from leaktrace.server.repo.triage import FindingFilter
from leaktrace.server.scanning import ScanResult, Upload, safe_name, scan_uploads
from leaktrace.server.services import Services, services
from leaktrace.server.web import page, redirect
from leaktrace.store import StoredFinding
from leaktrace.store.models import BriefingRow

router = APIRouter()
MAX_FILES = 20


class TriageChange(BaseModel):
    status: str | None = Field(default=None, max_length=32)
    assignee: str | None = Field(default=None, max_length=64)
    """A user name to assign to; an empty string assigns to nobody."""


class NewIncident(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    finding_ids: list[int] = Field(default_factory=list, max_length=1000)


class IncidentFindings(BaseModel):
    finding_ids: list[int] = Field(min_length=1, max_length=1000)


async def read_uploads(files: list[UploadFile]) -> list[Upload]:
    if not files or len(files) > MAX_FILES:
        raise ServerError(422, f"upload 1 to {MAX_FILES} files")
    return [Upload(safe_name(f.filename), await f.read()) for f in files]


async def scan_files(svc: Services, files: list[UploadFile], who: Account) -> ScanResult:
    uploads = await read_uploads(files)
    return await run_in_threadpool(scan_uploads, svc, uploads, "upload", who.username)


def evidence(svc: Services, finding_id: int, who: Account) -> StoredFinding:
    """A finding with its evidence; every such view is written to the audit log."""
    stored = svc.store.finding(finding_id)
    if stored is None:
        raise not_found(f"finding {finding_id}")
    with svc.session() as session:
        audit.record(session, who.username, "finding.view_evidence", f"finding:{finding_id}")
    return stored


def briefing_of(session: Session, stored: StoredFinding) -> BriefingRow | None:
    """The briefing a traced copy found by a scan was issued as, if it was one."""
    document_id = stored.finding.details.get("document_id")
    if stored.finding.detector != "mark" or not isinstance(document_id, int):
        return None
    return briefings.by_issued_document(session, document_id)


def apply_triage(svc: Services, finding_id: int, change: TriageChange, who: Account) -> None:
    with svc.session() as session:
        if change.status is not None:
            triage.set_status(session, finding_id, change.status, who.username)
        if change.assignee is not None:
            triage.assign(session, finding_id, change.assignee or None, who.username)


def filter_of(
    scan_id: int | None = None,
    detector: Annotated[str | None, Query(max_length=64)] = None,
    min_severity: Annotated[int | None, Query(ge=0, le=4)] = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
    incident_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=triage.MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FindingFilter:
    return FindingFilter(
        scan_id, detector, min_severity, status or None, incident_id, limit, offset
    )


# -- pages ------------------------------------------------------------------------------------


@router.get("/scans", response_class=HTMLResponse, include_in_schema=False)
def scans_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    return page(request, "scans.html", scans=services(request).store.scans(limit=50))


@router.post("/scans", include_in_schema=False)
async def scans_upload(
    request: Request,
    files: Annotated[list[UploadFile], File()],
    who: Account = Depends(ANALYST),
) -> Response:
    result = await scan_files(services(request), files, who)
    return redirect(
        f"/findings?scan_id={result.scan_id}",
        f"scan {result.scan_id}: {result.findings} findings in {result.files} file(s)",
    )


@router.get("/findings", response_class=HTMLResponse, include_in_schema=False)
def findings_page(
    request: Request,
    where: FindingFilter = Depends(filter_of),
    who: Account = Depends(VIEWER),
) -> Response:
    with services(request).session() as session:
        rows = triage.list_findings(session, where)
    return page(request, "findings.html", findings=rows, where=where)


@router.get("/findings/{finding_id}", response_class=HTMLResponse, include_in_schema=False)
def finding_page(request: Request, finding_id: int, who: Account = Depends(VIEWER)) -> Response:
    svc = services(request)
    stored = evidence(svc, finding_id, who)
    with svc.session() as session:
        state = triage.triage_of(session, finding_id)
        people = [u.username for u in users(session)]
        open_cases = cases.list_cases(session, status=None)
        briefing = briefing_of(session, stored)
    return page(
        request,
        "finding.html",
        stored=stored,
        finding=stored.finding,
        details=json.dumps(dict(stored.finding.details), indent=2, sort_keys=True, default=str),
        state=state,
        people=people,
        cases=open_cases,
        briefing=briefing,
    )


@router.post("/findings/{finding_id}/triage", include_in_schema=False)
def finding_triage(
    request: Request,
    finding_id: int,
    status: Annotated[str | None, Form(max_length=32)] = None,
    assignee: Annotated[str | None, Form(max_length=64)] = None,
    assign: Annotated[bool, Form()] = False,
    who: Account = Depends(ANALYST),
) -> Response:
    # A form sends "" for "nobody", which arrives as None: ``assign`` says the field was sent.
    change = TriageChange(status=status, assignee=(assignee or "") if assign else None)
    apply_triage(services(request), finding_id, change, who)
    return redirect(f"/findings/{finding_id}", "saved")


@router.post("/incidents", include_in_schema=False)
def incident_create(
    request: Request,
    title: Annotated[str, Form(max_length=300)],
    finding_ids: Annotated[list[int], Form(max_length=1000)],
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        row = triage.create_incident(session, title, finding_ids, who.username)
    return redirect(f"/incidents/{row.id}", "incident created")


@router.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
def incidents_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        rows = triage.incidents(session)
    return page(request, "incidents.html", incidents=rows)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
def incident_page(request: Request, incident_id: int, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        row = triage.incident(session, incident_id)
        rows = triage.list_findings(session, FindingFilter(incident_id=incident_id, limit=500))
    return page(request, "incident.html", incident=row, findings=rows)


# -- API --------------------------------------------------------------------------------------


@router.get("/api/scans", tags=["scans"])
def api_scans(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    who: Account = Depends(VIEWER),
) -> list[dict[str, Any]]:
    return [s.to_dict() for s in services(request).store.scans(limit=limit)]


@router.get("/api/scans/{scan_id}", tags=["scans"])
def api_scan(request: Request, scan_id: int, who: Account = Depends(VIEWER)) -> dict[str, Any]:
    found = services(request).store.scan(scan_id)
    if found is None:
        raise not_found(f"scan {scan_id}")
    return found.to_dict()


@router.post("/api/scans", status_code=201, tags=["scans"])
async def api_scan_upload(
    request: Request,
    files: Annotated[list[UploadFile], File(description="files to scan (any format)")],
    who: Account = Depends(ANALYST),
) -> dict[str, int]:
    """Scan uploaded files (archives, mail, documents...) and record the scan."""
    result = await scan_files(services(request), files, who)
    return {"scan_id": result.scan_id, "findings": result.findings, "files": result.files}


@router.get("/api/findings", tags=["findings"])
def api_findings(
    request: Request,
    where: FindingFilter = Depends(filter_of),
    who: Account = Depends(VIEWER),
) -> list[dict[str, object]]:
    """Findings with their triage state; no evidence here (see one finding)."""
    with services(request).session() as session:
        return [f.to_dict() for f in triage.list_findings(session, where)]


@router.get("/api/findings/{finding_id}", tags=["findings"])
def api_finding(
    request: Request, finding_id: int, who: Account = Depends(VIEWER)
) -> dict[str, Any]:
    """One finding with its redacted evidence; the view is audited."""
    svc = services(request)
    stored = evidence(svc, finding_id, who)
    with svc.session() as session:
        state = triage.triage_of(session, finding_id)
    return {
        **stored.to_dict(),
        "status": state.status,
        "assignee": state.assignee,
        "incident_id": state.incident_id,
    }


@router.post("/api/findings/{finding_id}/triage", tags=["findings"])
def api_triage(
    request: Request, finding_id: int, change: TriageChange, who: Account = Depends(ANALYST)
) -> dict[str, object]:
    """Acknowledge, mark as false alarm (feeds the baseline), reopen (new), or assign."""
    svc = services(request)
    apply_triage(svc, finding_id, change, who)
    with svc.session() as session:
        return triage.triage_of(session, finding_id).to_dict()


@router.get("/api/baseline", tags=["findings"])
def api_baseline(request: Request, who: Account = Depends(VIEWER)) -> dict[str, Any]:
    """The findings marked as false alarms, as a `leaktrace scan --baseline` file."""
    with services(request).session() as session:
        accepted = sorted(triage.false_alarm_fingerprints(session))
    return {
        "format": BASELINE_FORMAT,
        "findings": [{"fingerprint": fp, "path": "", "rule": ""} for fp in accepted],
    }


@router.get("/api/incidents", tags=["incidents"])
def api_incidents(request: Request, who: Account = Depends(VIEWER)) -> list[dict[str, Any]]:
    with services(request).session() as session:
        return [incident_dict(row, n) for row, n in triage.incidents(session)]


@router.post("/api/incidents", status_code=201, tags=["incidents"])
def api_incident_create(
    request: Request, body: NewIncident, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        row = triage.create_incident(session, body.title, body.finding_ids, who.username)
        return incident_dict(row, len(set(body.finding_ids)))


@router.get("/api/incidents/{incident_id}", tags=["incidents"])
def api_incident(
    request: Request, incident_id: int, who: Account = Depends(VIEWER)
) -> dict[str, Any]:
    with services(request).session() as session:
        row = triage.incident(session, incident_id)
        found = triage.list_findings(session, FindingFilter(incident_id=incident_id, limit=500))
        return {**incident_dict(row, len(found)), "findings": [f.to_dict() for f in found]}


@router.post("/api/incidents/{incident_id}/findings", tags=["incidents"])
def api_incident_add(
    request: Request, incident_id: int, body: IncidentFindings, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        triage.add_to_incident(session, incident_id, body.finding_ids, who.username)
    return {"incident_id": incident_id, "added": body.finding_ids}


def incident_dict(row: Any, count: int) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(),
        "findings": count,
    }
