"""Briefings: issue traced copies, see who acknowledged; the recipients' personal links."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response

from leaktrace.server.auth import ANALYST, PUBLIC, VIEWER
from leaktrace.server.briefing_issue import IssuedBriefing, copy_path, issue_briefing
from leaktrace.server.repo import ServerError, briefings
from leaktrace.server.repo.accounts import Account
from leaktrace.server.scanning import Upload, safe_name
from leaktrace.server.services import Services, services
from leaktrace.server.web import page, redirect

router = APIRouter()
MAX_RECIPIENTS_TEXT = 1_000_000


def link_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/b/{token}"


async def issue_from_form(
    svc: Services, title: str, document: UploadFile, recipients: str, who: Account, style: str
) -> IssuedBriefing:
    upload = Upload(safe_name(document.filename), await document.read())
    if not upload.data:
        raise ServerError(422, "the document is empty")
    return await run_in_threadpool(
        issue_briefing, svc, title, upload, recipients, who.username, style
    )


def recipient_dict(row: Any) -> dict[str, Any]:
    return {
        "recipient": row.recipient,
        "name": row.name,
        "downloaded_at": row.downloaded_at.isoformat() if row.downloaded_at else None,
        "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at else None,
    }


# -- staff pages ------------------------------------------------------------------------------


@router.get("/briefings", response_class=HTMLResponse, include_in_schema=False)
def briefings_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        rows = briefings.list_briefings(session)
    return page(request, "briefings.html", briefings=rows)


@router.post("/briefings", response_class=HTMLResponse, include_in_schema=False)
async def briefing_issue(
    request: Request,
    title: Annotated[str, Form(max_length=300)],
    document: Annotated[UploadFile, File()],
    recipients: Annotated[str, Form(max_length=MAX_RECIPIENTS_TEXT)],
    style: Annotated[str, Form(max_length=8)] = "safe",
    who: Account = Depends(ANALYST),
) -> Response:
    issued = await issue_from_form(services(request), title, document, recipients, who, style)
    links = [(link, link_url(request, link.token)) for link in issued.links]
    advice = issued.retyped.advice(style)
    return page(
        request,
        "briefing_issued.html",
        briefing_id=issued.briefing_id,
        links=links,
        advice=advice[0].upper() + advice[1:] + ".",
    )


@router.get("/briefings/{briefing_id}", response_class=HTMLResponse, include_in_schema=False)
def briefing_page(request: Request, briefing_id: int, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        row = briefings.get_briefing(session, briefing_id)
        people = briefings.recipients(session, briefing_id)
    return page(request, "briefing.html", briefing=row, recipients=people)


# -- a recipient's personal link (no account) --------------------------------------------------


@router.get("/b/{token}", response_class=HTMLResponse, include_in_schema=False)
def recipient_page(request: Request, token: str, who: Account = Depends(PUBLIC)) -> Response:
    with services(request).session() as session:
        recipient, briefing = briefings.by_link(session, token)
    return page(
        request, "briefing_recipient.html", recipient=recipient, briefing=briefing, token=token
    )


@router.get("/b/{token}/download", include_in_schema=False)
def recipient_download(request: Request, token: str, who: Account = Depends(PUBLIC)) -> Response:
    svc = services(request)
    with svc.session() as session:
        recipient, briefing = briefings.by_link(session, token)
        path = copy_path(svc, briefing.id, recipient.recipient, briefing.file_name)
        if not path.is_file():
            raise ServerError(410, "this copy is no longer available; ask the sender")
        briefings.mark_downloaded(session, recipient)
    return FileResponse(path, filename=briefing.file_name)


@router.post("/b/{token}/acknowledge", include_in_schema=False)
def recipient_acknowledge(request: Request, token: str, who: Account = Depends(PUBLIC)) -> Response:
    with services(request).session() as session:
        recipient, _ = briefings.by_link(session, token)
        briefings.acknowledge(session, recipient)
    return redirect(f"/b/{token}", "thank you: your acknowledgement is recorded")


# -- API --------------------------------------------------------------------------------------


@router.get("/api/briefings", tags=["briefings"])
def api_briefings(request: Request, who: Account = Depends(VIEWER)) -> list[dict[str, Any]]:
    with services(request).session() as session:
        return [
            {
                "id": row.id,
                "title": row.title,
                "file_name": row.file_name,
                "issued_document_id": row.issued_document_id,
                "recipients": total,
                "acknowledged": acknowledged,
                "created_at": row.created_at.isoformat(),
            }
            for row, total, acknowledged in briefings.list_briefings(session)
        ]


@router.post("/api/briefings", status_code=201, tags=["briefings"])
async def api_briefing_issue(
    request: Request,
    title: Annotated[str, Form(max_length=300)],
    document: Annotated[UploadFile, File(description="text, Markdown, HTML or Word")],
    recipients: Annotated[str, Form(max_length=MAX_RECIPIENTS_TEXT, description="CSV: id,name")],
    style: Annotated[
        str, Form(max_length=8, description="safe, or bold: more marks survive retyping")
    ] = "safe",
    who: Account = Depends(ANALYST),
) -> dict[str, Any]:
    """Issue traced copies; the personal links are in this answer only."""
    issued = await issue_from_form(services(request), title, document, recipients, who, style)
    return {
        "briefing_id": issued.briefing_id,
        "retyped": issued.retyped.as_json(),
        "links": [
            {"recipient": link.recipient, "name": link.name, "url": link_url(request, link.token)}
            for link in issued.links
        ],
    }


@router.get("/api/briefings/{briefing_id}", tags=["briefings"])
def api_briefing(
    request: Request, briefing_id: int, who: Account = Depends(VIEWER)
) -> dict[str, Any]:
    """A briefing and, per recipient, whether they downloaded and acknowledged it."""
    with services(request).session() as session:
        row = briefings.get_briefing(session, briefing_id)
        people = briefings.recipients(session, briefing_id)
        return {
            "id": row.id,
            "title": row.title,
            "issued_document_id": row.issued_document_id,
            "recipients": [recipient_dict(p) for p in people],
        }
