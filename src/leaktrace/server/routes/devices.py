"""Devices: the registry, scanning one (an uploaded folder archive or disk image stands for
its contents), reporting one lost, and its exposure report; pages and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from leaktrace.server.auth import ANALYST, VIEWER
from leaktrace.server.repo import devices
from leaktrace.server.repo.accounts import Account
from leaktrace.server.routes.findings import read_uploads
from leaktrace.server.scanning import ScanResult, scan_uploads
from leaktrace.server.services import Services, services
from leaktrace.server.web import page, redirect

router = APIRouter()


class NewDevice(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(max_length=16)
    owner: str = Field(min_length=1, max_length=200)
    serial: str = Field(min_length=1, max_length=128)


async def scan_device(
    svc: Services, device_id: int, files: list[UploadFile], who: Account
) -> ScanResult:
    with svc.session() as session:
        serial = devices.get_device(session, device_id).serial
    uploads = await read_uploads(files)
    result = await run_in_threadpool(scan_uploads, svc, uploads, f"device {serial}", who.username)
    with svc.session() as session:
        devices.add_scan(session, device_id, result.scan_id, who.username)
    return result


# -- pages ------------------------------------------------------------------------------------


@router.get("/devices", response_class=HTMLResponse, include_in_schema=False)
def devices_page(request: Request, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        rows = devices.list_devices(session)
    return page(request, "devices.html", devices=rows, kinds=devices.KINDS)


@router.post("/devices", include_in_schema=False)
def device_register(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form(max_length=16)],
    owner: Annotated[str, Form(max_length=200)],
    serial: Annotated[str, Form(max_length=128)],
    who: Account = Depends(ANALYST),
) -> Response:
    with services(request).session() as session:
        row = devices.register(session, name, kind, owner, serial, who.username)
    return redirect(f"/devices/{row.id}", "device registered")


@router.get("/devices/{device_id}", response_class=HTMLResponse, include_in_schema=False)
def device_page(request: Request, device_id: int, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        row = devices.get_device(session, device_id)
        scan = devices.last_scan(session, device_id)
    return page(request, "device.html", device=row, scan=scan)


@router.post("/devices/{device_id}/scan", include_in_schema=False)
async def device_scan(
    request: Request,
    device_id: int,
    files: Annotated[list[UploadFile], File()],
    who: Account = Depends(ANALYST),
) -> Response:
    result = await scan_device(services(request), device_id, files, who)
    return redirect(f"/devices/{device_id}", f"scanned: {result.findings} findings")


@router.post("/devices/{device_id}/lost", include_in_schema=False)
def device_lost(request: Request, device_id: int, who: Account = Depends(ANALYST)) -> Response:
    with services(request).session() as session:
        devices.report_lost(session, device_id, who.username)
    return redirect(f"/devices/{device_id}/exposure", "reported lost")


@router.get("/devices/{device_id}/exposure", response_class=HTMLResponse, include_in_schema=False)
def exposure_page(request: Request, device_id: int, who: Account = Depends(VIEWER)) -> Response:
    with services(request).session() as session:
        report = devices.exposure(session, device_id)
    return page(request, "exposure.html", exposure=report)


# -- API --------------------------------------------------------------------------------------


@router.get("/api/devices", tags=["devices"])
def api_devices(request: Request, who: Account = Depends(VIEWER)) -> list[dict[str, Any]]:
    with services(request).session() as session:
        return [
            {
                **devices.device_dict(v.row),
                "last_scan_id": v.last_scan.id if v.last_scan else None,
                "last_scan_at": v.last_scan.started_at.isoformat() if v.last_scan else None,
            }
            for v in devices.list_devices(session)
        ]


@router.post("/api/devices", status_code=201, tags=["devices"])
def api_device_register(
    request: Request, body: NewDevice, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    with services(request).session() as session:
        row = devices.register(session, body.name, body.kind, body.owner, body.serial, who.username)
        return devices.device_dict(row)


@router.get("/api/devices/{device_id}", tags=["devices"])
def api_device(request: Request, device_id: int, who: Account = Depends(VIEWER)) -> dict[str, Any]:
    with services(request).session() as session:
        row = devices.get_device(session, device_id)
        scan = devices.last_scan(session, device_id)
        return {**devices.device_dict(row), "last_scan_id": scan.id if scan else None}


@router.post("/api/devices/{device_id}/scans", status_code=201, tags=["devices"])
async def api_device_scan(
    request: Request,
    device_id: int,
    files: Annotated[list[UploadFile], File(description="a disk image or folder archive")],
    who: Account = Depends(ANALYST),
) -> dict[str, int]:
    result = await scan_device(services(request), device_id, files, who)
    return {"scan_id": result.scan_id, "findings": result.findings}


@router.post("/api/devices/{device_id}/lost", tags=["devices"])
def api_device_lost(
    request: Request, device_id: int, who: Account = Depends(ANALYST)
) -> dict[str, Any]:
    """Report the device lost; answers with its exposure report."""
    with services(request).session() as session:
        devices.report_lost(session, device_id, who.username)
        return devices.exposure(session, device_id).to_dict()


@router.get("/api/devices/{device_id}/exposure", tags=["devices"])
def api_exposure(
    request: Request, device_id: int, who: Account = Depends(VIEWER)
) -> dict[str, Any]:
    with services(request).session() as session:
        return devices.exposure(session, device_id).to_dict()
