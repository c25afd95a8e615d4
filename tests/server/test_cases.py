"""Cases: status workflow, notes, linked evidence and the timeline."""

from __future__ import annotations

from tests.server.conftest import Browser, created_id, upload_scan


def test_a_finding_triaged_into_a_case_with_a_timeline(analyst: Browser) -> None:
    scan_id = upload_scan(analyst)["scan_id"]
    finding_id = analyst.get(f"/api/findings?scan_id={scan_id}").json()[0]["id"]
    opened = analyst.form("/cases", {"title": "Keys pasted in notes", "finding_ids": [finding_id]})
    case_id = created_id(opened)
    analyst.form(f"/cases/{case_id}/status", {"status": "investigating"})
    analyst.form(f"/cases/{case_id}/notes", {"text": "Key rotated by the cloud team."})
    analyst.form(f"/cases/{case_id}/status", {"status": "closed"})
    case = analyst.get(f"/api/cases/{case_id}").json()
    assert case["status"] == "closed"
    kinds = [event["kind"] for event in case["timeline"]]
    assert kinds == ["created", "evidence", "status", "note", "status"]
    assert case["timeline"][1]["finding_id"] == finding_id
    page = analyst.get(f"/cases/{case_id}").text
    assert "Key rotated by the cloud team." in page
    assert "open → investigating" in page


def test_an_incident_becomes_a_case(analyst: Browser) -> None:
    scan_id = upload_scan(analyst)["scan_id"]
    ids = [f["id"] for f in analyst.get(f"/api/findings?scan_id={scan_id}").json()]
    incident = analyst.api("POST", "/api/incidents", json={"title": "Leak", "finding_ids": ids})
    incident_id = incident.json()["id"]
    case = analyst.api(
        "POST", "/api/cases", json={"title": "Leak", "incident_id": incident_id, "finding_ids": ids}
    ).json()
    assert case["incident_id"] == incident_id
    assert analyst.get("/api/cases?status=open").json()[0]["id"] == case["id"]


def test_case_input_is_checked(analyst: Browser) -> None:
    case_id = analyst.api("POST", "/api/cases", json={"title": "t"}).json()["id"]
    wrong = [
        analyst.api("POST", f"/api/cases/{case_id}/status", json={"status": "done"}),
        analyst.api("POST", f"/api/cases/{case_id}/notes", json={"text": ""}),
        analyst.api("POST", f"/api/cases/{case_id}/evidence", json={}),
        analyst.api("POST", f"/api/cases/{case_id}/evidence", json={"finding_id": 4242}),
        analyst.api("POST", "/api/cases/4242/notes", json={"text": "x"}),
        analyst.api("POST", "/api/cases", json={"title": "   "}),
        analyst.get("/api/cases?status=sleeping"),
    ]
    assert [r.status_code for r in wrong] == [422, 422, 422, 404, 404, 422, 422]
    assert all(r.json()["detail"] for r in wrong)
    assert len(analyst.get(f"/api/cases/{case_id}").json()["timeline"]) == 1
