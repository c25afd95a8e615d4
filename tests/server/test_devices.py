"""Devices: the registry, scans of their contents, and the lost-device exposure report."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from fastapi import FastAPI

from leaktrace.core.finding import Finding, Severity
from leaktrace.server.repo import devices
from leaktrace.store import ScanRecord
from tests.server.conftest import LEAK, Browser, created_id


def disk_image(files: dict[str, bytes]) -> bytes:
    """A folder tree packed as an archive: what stands for a device's disk here."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def register(analyst: Browser, serial: str = "C02XK1ABJG5H") -> int:
    page = analyst.form(
        "/devices", {"name": "Sam's laptop", "kind": "laptop", "owner": "Sam Lee", "serial": serial}
    )
    return created_id(page)


def test_a_lost_device_gets_an_exposure_report(analyst: Browser) -> None:
    device_id = register(analyst)
    image = disk_image({"Users/sam/deploy.txt": LEAK})
    scanned = analyst.form(f"/devices/{device_id}/scan", files={"files": ("disk.zip", image)})
    assert scanned.status_code == 303
    device = analyst.get(f"/api/devices/{device_id}").json()
    assert device["last_scan_id"] is not None and device["lost_at"] is None
    lost = analyst.form(f"/devices/{device_id}/lost")
    assert lost.headers["location"].startswith(f"/devices/{device_id}/exposure")
    report = analyst.get(f"/api/devices/{device_id}/exposure").json()
    assert report["device"]["lost_at"] is not None
    assert report["scan_id"] == device["last_scan_id"]
    rotate = {entry["rule"] for entry in report["credentials_to_rotate"]}
    assert "secret/aws-access-key-id" in rotate
    assert all(e["path"].startswith("disk.zip!Users/sam/") for e in report["credentials_to_rotate"])
    page = analyst.get(f"/devices/{device_id}/exposure").text
    assert "Credentials to rotate" in page and "secret/aws-access-key-id" in page


def test_the_exposure_report_is_of_the_last_scan_only(analyst: Browser) -> None:
    device_id = register(analyst)
    analyst.api(
        "POST",
        f"/api/devices/{device_id}/scans",
        files={"files": ("disk.zip", disk_image({"a.txt": LEAK}))},
    )
    analyst.api(
        "POST",
        f"/api/devices/{device_id}/scans",
        files={"files": ("disk.zip", disk_image({"a.txt": b"nothing here\n"}))},
    )
    report = analyst.api("POST", f"/api/devices/{device_id}/lost").json()
    assert report["credentials_to_rotate"] == []
    listed = analyst.get("/api/devices").json()
    assert listed[0]["last_scan_id"] == report["scan_id"]


def test_a_device_never_scanned_says_so(analyst: Browser) -> None:
    device_id = register(analyst)
    report = analyst.get(f"/api/devices/{device_id}/exposure").json()
    assert report["scan_id"] is None
    assert "never scanned" in analyst.get(f"/devices/{device_id}/exposure").text


def test_device_input_is_checked(analyst: Browser) -> None:
    register(analyst, "SERIAL-1")
    twice = analyst.api(
        "POST",
        "/api/devices",
        json={"name": "x", "kind": "phone", "owner": "y", "serial": "SERIAL-1"},
    )
    assert twice.status_code == 409
    bad_kind = analyst.api(
        "POST", "/api/devices", json={"name": "x", "kind": "toaster", "owner": "y", "serial": "S2"}
    )
    assert bad_kind.status_code == 422
    assert analyst.api("POST", "/api/devices/4242/lost").status_code == 404
    assert (
        analyst.api("POST", "/api/devices/4242/scans", files={"files": ("a.txt", b"x")}).status_code
        == 404
    )


def test_exposure_sorts_findings_by_what_must_be_done(app: FastAPI, analyst: Browser) -> None:
    # A scan as any detector family records it, so the sorting does not depend on what today's
    # detectors happen to find in a sample file.
    device_id = register(analyst)
    found = [
        Finding(
            "d!board.docx",
            "document",
            "excerpt",
            Severity.HIGH,
            "board papers",
            details={"document": "board-q3.docx", "document_id": 1},
        ),
        Finding("d!keys.txt", "secret", "aws-access-key-id", Severity.HIGH, "AWS key"),
        Finding("d!cards.csv", "pii", "card-number", Severity.HIGH, "card numbers"),
        Finding("d!hr.xlsx", "records", "exact-match", Severity.HIGH, "salary records"),
        Finding("d!memo.txt", "marking", "handling", Severity.LOW, "marked restricted"),
        Finding("d!broken.zip", "error", "corrupt", Severity.LOW, "corrupt zip"),
    ]
    now = datetime.now(UTC)
    svc = app.state.services
    record = ScanRecord(now, now, ["device"], None, 6, 6, 600, "complete")
    scan_id = svc.store.record_scan(record, found)
    with svc.session() as session:
        devices.add_scan(session, device_id, scan_id, "test")
    report = analyst.get(f"/api/devices/{device_id}/exposure").json()

    def paths(section: str) -> list[str]:
        return [entry["path"] for entry in report[section]]

    assert paths("protected_documents") == ["d!board.docx"]
    assert report["protected_documents"][0]["document"] == "board-q3.docx"
    assert paths("credentials_to_rotate") == ["d!keys.txt"]
    assert paths("personal_data_to_notify") == ["d!cards.csv", "d!hr.xlsx"]
    assert paths("other_findings") == ["d!memo.txt"]
