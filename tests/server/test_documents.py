"""Protected documents registered through the API are found again by the server's scans."""

from __future__ import annotations

from leaktrace.demo.corpus import BRIEFING
from tests.server.conftest import Browser

EXCERPT = "\n".join(BRIEFING.splitlines()[5:12]).encode()  # one paragraph, pasted elsewhere


def test_a_registered_document_is_found_in_an_upload(analyst: Browser) -> None:
    added = analyst.api(
        "POST",
        "/api/documents",
        data={"label": "board"},
        files={"file": ("kestrel.txt", BRIEFING.encode())},
    )
    assert added.status_code == 201, added.text
    assert added.json()["status"] == "added"
    listed = analyst.get("/api/documents").json()
    assert [(d["name"], d["label"], d["kind"]) for d in listed] == [
        ("kestrel.txt", "board", "document")
    ]
    assert "kestrel.txt" in analyst.get("/documents").text
    again = analyst.api("POST", "/api/documents", files={"file": ("copy.txt", BRIEFING.encode())})
    assert again.json()["status"] == "duplicate"
    scan = analyst.api("POST", "/api/scans", files={"files": ("blog-draft.txt", EXCERPT)}).json()
    found = analyst.get(f"/api/findings?scan_id={scan['scan_id']}&detector=document").json()
    assert [f["rule"] for f in found] == ["excerpt"]


def test_an_empty_or_textless_document_is_refused(analyst: Browser) -> None:
    empty = analyst.api("POST", "/api/documents", files={"file": ("a.txt", b"")})
    assert empty.status_code == 422
    assert analyst.get("/api/documents").json() == []
