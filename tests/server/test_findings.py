"""Upload and scan, findings and their evidence (audited), triage and incidents."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator

from fastapi import FastAPI

from tests.server.conftest import LEAK, Browser, created_id, upload_scan


def test_an_uploaded_file_is_scanned_and_its_findings_recorded(analyst: Browser) -> None:
    result = upload_scan(analyst)
    assert result["files"] == 1
    findings = analyst.get(f"/api/findings?scan_id={result['scan_id']}").json()
    assert "aws-access-key-id" in {f["rule"] for f in findings}
    assert all(f["status"] == "new" and "evidence" not in f for f in findings)
    scan = analyst.get(f"/api/scans/{result['scan_id']}").json()
    assert scan["roots"] == ["upload:notes.txt"]


def test_archives_are_opened_like_the_cli_does(analyst: Browser) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("deploy/notes.txt", LEAK)
    result = upload_scan(analyst, "bundle.zip", buffer.getvalue())
    paths = {f["path"] for f in analyst.get(f"/api/findings?scan_id={result['scan_id']}").json()}
    assert "bundle.zip!deploy/notes.txt" in paths


def test_the_upload_page_scans_and_shows_the_findings(analyst: Browser) -> None:
    page = analyst.form("/scans", files={"files": ("notes.txt", LEAK)})
    assert page.status_code == 303
    listing = analyst.get(page.headers["location"])
    assert "aws-access-key-id" in listing.text
    assert "findings in 1 file" in listing.text


def test_viewing_evidence_is_audited(as_role: Callable[[str], Browser]) -> None:
    analyst, viewer = as_role("analyst"), as_role("viewer")
    scan_id = upload_scan(analyst)["scan_id"]
    finding = analyst.get(f"/api/findings?scan_id={scan_id}").json()[0]
    shown = viewer.get(f"/api/findings/{finding['id']}").json()
    assert shown["evidence"] and "AKIAIOSFODNN7EXAMPLQ" not in shown["evidence"]
    page = viewer.get(f"/findings/{finding['id']}")
    assert shown["evidence"] in page.text
    views = [
        e
        for e in as_role("admin").get("/api/audit").json()
        if e["action"] == "finding.view_evidence" and e["target"] == f"finding:{finding['id']}"
    ]
    assert [e["actor"] for e in views] == ["viewer", "viewer"]


def test_triage_acknowledge_assign_and_reopen(analyst: Browser) -> None:
    scan_id = upload_scan(analyst)["scan_id"]
    finding_id = analyst.get(f"/api/findings?scan_id={scan_id}").json()[0]["id"]
    changed = analyst.api(
        "POST",
        f"/api/findings/{finding_id}/triage",
        json={"status": "acknowledged", "assignee": "admin"},
    ).json()
    assert (changed["status"], changed["assignee"]) == ("acknowledged", "admin")
    assert analyst.get("/api/findings?status=new").json() == [
        f for f in analyst.get("/api/findings?status=new").json() if f["id"] != finding_id
    ]
    page = analyst.form(f"/findings/{finding_id}/triage", {"status": "new"})
    assert page.status_code == 303
    page = analyst.form(f"/findings/{finding_id}/triage", {"assign": "true", "assignee": ""})
    assert page.status_code == 303
    shown = analyst.get(f"/api/findings/{finding_id}").json()
    assert (shown["status"], shown["assignee"]) == ("new", None)


def test_a_false_alarm_joins_the_baseline_of_later_scans(analyst: Browser) -> None:
    first = upload_scan(analyst)
    findings = analyst.get(f"/api/findings?scan_id={first['scan_id']}").json()
    target = next(f for f in findings if f["rule"] == "aws-access-key-id")
    analyst.api("POST", f"/api/findings/{target['id']}/triage", json={"status": "false_alarm"})
    baseline = analyst.get("/api/baseline").json()
    assert baseline["format"] == "leaktrace-baseline/1"
    assert len(baseline["findings"]) == 1
    second = upload_scan(analyst)
    rules = {f["rule"] for f in analyst.get(f"/api/findings?scan_id={second['scan_id']}").json()}
    assert "aws-access-key-id" not in rules
    assert second["findings"] == first["findings"] - 1


def test_findings_grouped_into_an_incident(analyst: Browser) -> None:
    scan_id = upload_scan(analyst)["scan_id"]
    ids = [f["id"] for f in analyst.get(f"/api/findings?scan_id={scan_id}").json()]
    page = analyst.form("/incidents", {"title": "Keys in deploy notes", "finding_ids": ids})
    incident_id = created_id(page)
    incident = analyst.get(f"/api/incidents/{incident_id}").json()
    assert incident["title"] == "Keys in deploy notes"
    assert sorted(f["id"] for f in incident["findings"]) == sorted(ids)
    assert analyst.get(f"/api/findings?incident_id={incident_id}").json()


def test_an_oversized_upload_is_refused_with_413(make_app: Callable[..., object]) -> None:
    app = make_app(max_upload_bytes=64 * 1024)
    session = Browser(app)  # type: ignore[arg-type]
    session.login("analyst")
    response = session.api("POST", "/api/scans", files={"files": ("big.bin", b"x" * 100_000)})
    assert response.status_code == 413
    assert "larger than the limit" in response.json()["detail"]
    assert session.get("/api/scans").json() == []


def test_a_streamed_body_over_the_limit_is_refused_with_413(
    make_app: Callable[..., FastAPI],
) -> None:
    # No Content-Length (chunked): the limit is enforced while the body arrives.
    app = make_app(max_upload_bytes=4096)

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 1000

    response = Browser(app).client.post(
        "/api/reports", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.request.headers.get("content-length") is None
    assert response.status_code == 413


def test_malformed_requests_get_4xx_with_a_message(analyst: Browser) -> None:
    cases = [
        analyst.api("POST", "/api/scans"),
        analyst.api(
            "POST",
            "/api/scans",
            content=b"--x\r\nbroken",
            headers={"content-type": "multipart/form-data; boundary=x"},
        ),
        analyst.api(
            "POST",
            "/api/findings/1/triage",
            content=b"{not json",
            headers={"content-type": "application/json"},
        ),
        analyst.api("POST", "/api/findings/999/triage", json={"status": "acknowledged"}),
        analyst.api("POST", "/api/incidents", json={"title": "", "finding_ids": []}),
        analyst.get("/api/findings?min_severity=9"),
        analyst.get("/api/findings/not-a-number"),
        analyst.get("/findings/not-a-number"),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.text
        assert response.text.strip()
    bad_status = upload_scan(analyst)
    finding_id = analyst.get(f"/api/findings?scan_id={bad_status['scan_id']}").json()[0]["id"]
    response = analyst.api("POST", f"/api/findings/{finding_id}/triage", json={"status": "meh"})
    assert response.status_code == 422
    assert "status must be one of" in response.json()["detail"]
