"""Briefings: traced copies issued to recipients, downloaded and acknowledged through personal
links; a leaked copy traces back to its recipient and its briefing."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI

from leaktrace.demo.corpus import BRIEFING
from tests.server.conftest import Browser

RECIPIENTS = "jdoe,Jane Doe\nbsmith,Bob Smith\nakhan,Aisha Khan\n"
LINK = re.compile(r'href="http://testserver(/b/[^"]+)" class="personal-link"')


def issue(analyst: Browser) -> tuple[int, list[str]]:
    page = analyst.form(
        "/briefings",
        {"title": "Kestrel Q3", "recipients": RECIPIENTS},
        files={"document": ("kestrel.txt", BRIEFING.encode())},
    )
    assert page.status_code == 200, page.text
    briefing_id = int(re.search(r"Briefing (\d+) issued", page.text).group(1))  # type: ignore[union-attr]
    return briefing_id, LINK.findall(page.text)


def test_recipients_download_and_acknowledge_their_own_copy(app: FastAPI, analyst: Browser) -> None:
    briefing_id, links = issue(analyst)
    assert len(links) == 3 and len(set(links)) == 3
    jane = Browser(app)  # a recipient: no account
    page = jane.get(links[0])
    assert "For Jane Doe" in page.text
    copy = jane.get(links[0] + "/download")
    assert copy.status_code == 200
    assert copy.text.startswith("HARBOR LANE INSTRUMENTS")
    assert copy.content != BRIEFING.encode()  # marked
    bob_copy = Browser(app).get(links[1] + "/download").content
    assert bob_copy != copy.content
    acknowledged = jane.form(links[0] + "/acknowledge")
    assert acknowledged.status_code == 303
    assert "You acknowledged" in jane.get(links[0]).text
    status = analyst.get(f"/api/briefings/{briefing_id}").json()["recipients"]
    assert [
        (r["recipient"], bool(r["downloaded_at"]), bool(r["acknowledged_at"])) for r in status
    ] == [("jdoe", True, True), ("bsmith", True, False), ("akhan", False, False)]
    assert "1 of 3" in analyst.get("/briefings").text


def test_a_leaked_copy_traces_back_to_its_recipient_and_briefing(
    app: FastAPI, analyst: Browser
) -> None:
    briefing_id, links = issue(analyst)
    leaked = Browser(app).get(links[2] + "/download").content
    traced = analyst.api("POST", "/api/trace", files={"file": ("forum-post.txt", leaked)}).json()
    assert traced["copy_of"] == "akhan"
    assert traced["briefing_id"] == briefing_id
    scan = analyst.api("POST", "/api/scans", files={"files": ("found.txt", leaked)}).json()
    marks = analyst.get(f"/api/findings?scan_id={scan['scan_id']}&detector=mark").json()
    assert marks, "a scan recognizes the traced copy"
    page = analyst.get(f"/findings/{marks[0]['id']}").text
    assert f'href="/briefings/{briefing_id}"' in page


def test_the_issuer_is_told_what_a_retyped_leak_would_show(analyst: Browser) -> None:
    page = analyst.form(
        "/briefings",
        {"title": "Kestrel Q3", "recipients": RECIPIENTS},
        files={"document": ("kestrel.txt", BRIEFING.encode())},
    )
    advice = re.search(r'<p id="retyped" class="muted">([^<]+)</p>', page.text)
    assert advice is not None and advice.group(1).startswith("Retyped leaks: ")
    assert "one of 3 recipients" in advice.group(1)
    memo = (Path(__file__).parent.parent / "trace" / "data" / "memo_pricing.txt").read_bytes()
    issued = {}
    for style in ("safe", "bold"):
        answer = analyst.api(
            "POST",
            "/api/briefings",
            data={"title": f"Pricing ({style})", "recipients": RECIPIENTS, "style": style},
            files={"document": ("pricing.txt", memo)},
        )
        assert answer.status_code == 201, answer.text
        issued[style] = answer.json()["retyped"]
    assert issued["safe"]["marks_needed"] == issued["bold"]["marks_needed"] == 22  # 3 recipients
    safe, bold = issued["safe"], issued["bold"]
    assert bold["wording_marks_per_100_words"] > safe["wording_marks_per_100_words"] > 0
    assert bold["words_needed"] < safe["words_needed"]
    loud = analyst.api(
        "POST",
        "/api/briefings",
        data={"title": "t", "recipients": RECIPIENTS, "style": "loud"},
        files={"document": ("pricing.txt", memo)},
    )
    assert loud.status_code == 422 and "style must be one of safe, bold" in loud.text


def test_a_wrong_link_is_not_found(browser: Browser) -> None:
    assert browser.get("/b/not-a-real-link").status_code == 404
    assert browser.get("/b/not-a-real-link/download").status_code == 404


def test_briefing_input_is_checked(analyst: Browser) -> None:
    no_recipients = analyst.form(
        "/briefings",
        {"title": "t", "recipients": "   "},
        files={"document": ("a.txt", BRIEFING.encode())},
    )
    assert no_recipients.status_code == 422
    unsafe = analyst.form(
        "/briefings",
        {"title": "t", "recipients": "../etc,Evil"},
        files={"document": ("a.txt", BRIEFING.encode())},
    )
    assert unsafe.status_code == 422
    assert "cannot name a folder" in unsafe.text
    empty = analyst.form(
        "/briefings", {"title": "t", "recipients": RECIPIENTS}, files={"document": ("a.txt", b"")}
    )
    assert empty.status_code == 422
    assert analyst.get("/api/briefings").json() == []
