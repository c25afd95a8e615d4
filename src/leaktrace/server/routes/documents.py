"""Protected documents and issued documents (read-only here: the CLI registers them), and
tracing a leaked copy back to its recipients."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from leaktrace.protect.registry import Registration
from leaktrace.server.auth import ANALYST, VIEWER
from leaktrace.server.repo import ServerError, audit, briefings
from leaktrace.server.repo.accounts import Account
from leaktrace.server.scanning import safe_name
from leaktrace.server.services import Services, services
from leaktrace.server.web import page, redirect
from leaktrace.trace.tracer import TraceResult

router = APIRouter()


def register_upload(
    svc: Services, name: str, data: bytes, label: str | None, public: bool, actor: str
) -> Registration:
    """Register an uploaded file as a protected document (or public text), as
    `leaktrace protect add` does: fingerprints into the store, the index rebuilt."""
    from leaktrace.cli.scanning import index_folder
    from leaktrace.protect.registry import register

    with tempfile.TemporaryDirectory(prefix="leaktrace-protect-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result = register(
            svc.store,
            [str(path)],
            label=label or None,
            name=name,
            public=public,
            index_folder=index_folder(svc.config.home),
            registry=svc.registry,
        )[0]
    with svc.session() as session:
        audit.record(
            session,
            actor,
            "document.register",
            f"document:{result.document_id}",
            name=name,
            status=result.status,
            public=public,
        )
    return result


def trace_upload(svc: Services, name: str, data: bytes, actor: str) -> TraceResult:
    from leaktrace.trace.leak import leak_text
    from leaktrace.trace.tracer import Tracer

    text = leak_text(svc.registry, name, data)
    result = Tracer(svc.store.iter_issued()).trace(data, text)
    with svc.session() as session:
        audit.record(session, actor, "trace.run", f"upload:{name}", accused=list(result.accused))
    return result


async def run_trace(
    svc: Services, file: UploadFile, who: Account
) -> tuple[TraceResult, int | None]:
    data = await file.read()
    if not data:
        raise ServerError(422, "the file is empty")
    result = await run_in_threadpool(
        trace_upload, svc, safe_name(file.filename), data, who.username
    )
    briefing_id = None
    if result.document is not None:
        with svc.session() as session:
            found = briefings.by_issued_document(session, result.document.id)
            briefing_id = found.id if found else None
    return result, briefing_id


@router.get("/documents", response_class=HTMLResponse, include_in_schema=False)
def documents_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    store = services(request).store
    return page(
        request,
        "documents.html",
        protected=store.protected_documents(),
        issued=store.issued_documents(),
    )


async def register_file(
    svc: Services, file: UploadFile, label: str | None, public: bool, who: Account
) -> Registration:
    data = await file.read()
    if not data:
        raise ServerError(422, "the file is empty")
    name = safe_name(file.filename)
    result = await run_in_threadpool(register_upload, svc, name, data, label, public, who.username)
    if result.status == "error":
        raise ServerError(422, f"{name}: {result.message}")
    return result


@router.post("/documents", include_in_schema=False)
async def documents_register(
    request: Request,
    file: Annotated[UploadFile, File()],
    label: Annotated[str | None, Form(max_length=200)] = None,
    public: Annotated[bool, Form()] = False,
    who: Account = Depends(ANALYST),
) -> Response:
    result = await register_file(services(request), file, label, public, who)
    return redirect("/documents", f"{result.name or 'document'}: {result.status}")


@router.get("/trace", response_class=HTMLResponse, include_in_schema=False)
def trace_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    return page(request, "trace.html", result=None)


@router.post("/trace", response_class=HTMLResponse, include_in_schema=False)
async def trace_submit(
    request: Request, file: Annotated[UploadFile, File()], who: Account = Depends(ANALYST)
) -> Response:
    result, briefing_id = await run_trace(services(request), file, who)
    return page(request, "trace.html", result=result, briefing_id=briefing_id)


@router.get("/api/documents", tags=["documents"])
def api_documents(request: Request, who: Account = Depends(VIEWER)) -> list[dict[str, Any]]:
    return [d.to_dict() for d in services(request).store.protected_documents()]


@router.post("/api/documents", status_code=201, tags=["documents"])
async def api_register_document(
    request: Request,
    file: Annotated[UploadFile, File(description="any format a scan reads")],
    label: Annotated[str | None, Form(max_length=200)] = None,
    public: Annotated[bool, Form(description="common text whose matches are ignored")] = False,
    who: Account = Depends(ANALYST),
) -> dict[str, Any]:
    """Register a confidential document (only its fingerprints are kept), as `protect add`."""
    result = await register_file(services(request), file, label, public, who)
    return {
        "status": result.status,
        "document_id": result.document_id,
        "name": result.name,
        "word_count": result.word_count,
        "warnings": list(result.warnings),
    }


@router.get("/api/issued", tags=["documents"])
def api_issued(request: Request, who: Account = Depends(VIEWER)) -> list[dict[str, Any]]:
    return [d.to_dict() for d in services(request).store.issued_documents()]


@router.post("/api/trace", tags=["documents"])
async def api_trace(
    request: Request,
    file: Annotated[UploadFile, File(description="the leaked copy or excerpt")],
    who: Account = Depends(ANALYST),
) -> dict[str, Any]:
    """Name the recipient(s) a leaked copy came from (never beyond the proven bound)."""
    result, briefing_id = await run_trace(services(request), file, who)
    return {**result.to_dict(), "briefing_id": briefing_id}
