"""Staff reports: the public form, the receipt code, follow-up, and triage by the team."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI

from leaktrace.server.config import RateLimit
from tests.server.conftest import Browser

RECEIPT = re.compile(r'<code id="receipt">([A-Z0-9-]+)</code>')


def submit(visitor: Browser, text: str, kind: str = "leak", reporter: str = "") -> str:
    visitor.get("/report")
    page = visitor.form("/report", {"kind": kind, "text": text, "reporter": reporter})
    assert page.status_code == 200, page.text
    found = RECEIPT.search(page.text)
    assert found, "the answer shows a receipt code"
    return found.group(1)


def test_an_anonymous_report_is_followed_up_with_its_receipt(
    browser: Browser, as_role: Callable[[str], Browser]
) -> None:
    receipt = submit(browser, "Our pricing sheet is on a public forum.")
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", receipt)
    analyst = as_role("analyst")
    listed = analyst.get("/api/reports").json()
    assert [(r["kind"], r["reporter"], r["status"]) for r in listed] == [("leak", None, "new")]
    report_id = listed[0]["id"]
    analyst.form(f"/reports/{report_id}/reply", {"text": "Thank you; which forum?"})
    later = Browser(browser.client.app)  # type: ignore[arg-type]
    later.get("/report/follow-up")
    typed = receipt.lower().replace("-", " ")  # however the reporter types it
    page = later.form("/report/follow-up", {"receipt": typed})
    assert "Thank you; which forum?" in page.text
    added = later.form("/report/follow-up", {"receipt": receipt, "text": "The one at example.org"})
    assert "Your information was added" in added.text
    messages = analyst.get(f"/api/reports/{report_id}").json()["messages"]
    assert [m["author"] for m in messages] == ["reporter", "analyst", "reporter"]


def test_the_report_api_needs_no_account(app: FastAPI) -> None:
    script = Browser(app).client
    filed = script.post(
        "/api/reports", json={"kind": "lost_device", "text": "Phone lost on the train"}
    )
    assert filed.status_code == 201
    body = filed.json()
    assert "reporter" not in body
    followed = script.post("/api/reports/follow-up", json={"receipt": body["receipt"]})
    assert followed.json()["messages"][0]["text"] == "Phone lost on the train"


def test_a_wrong_receipt_is_not_found(browser: Browser) -> None:
    browser.get("/report/follow-up")
    page = browser.form("/report/follow-up", {"receipt": "AAAA-BBBB-CCCC-DDDD"})
    assert page.status_code == 404
    assert "no report has this receipt code" in page.text


def test_report_input_is_checked(browser: Browser) -> None:
    browser.get("/report")
    assert browser.form("/report", {"kind": "gossip", "text": "x"}).status_code == 422
    assert browser.form("/report", {"kind": "leak", "text": "   "}).status_code == 422
    assert browser.form("/report", {"kind": "leak"}).status_code == 422


def test_the_report_form_is_rate_limited(make_app: Callable[..., FastAPI]) -> None:
    visitor = Browser(make_app(report_limit=RateLimit(2, 60)))
    visitor.get("/report")
    statuses = [
        visitor.form("/report", {"kind": "leak", "text": f"report {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_team_sets_a_report_status_and_opens_a_case(
    browser: Browser, as_role: Callable[[str], Browser]
) -> None:
    submit(browser, "USB stick with board papers found in the car park", reporter="Sam")
    analyst = as_role("analyst")
    report_id = analyst.get("/api/reports").json()[0]["id"]
    assert analyst.get(f"/api/reports/{report_id}").json()["reporter"] == "Sam"
    analyst.form(f"/reports/{report_id}/status", {"status": "triaged"})
    case = analyst.api("POST", "/api/cases", json={"title": "USB stick", "report_id": report_id})
    timeline = analyst.get(f"/api/cases/{case.json()['id']}").json()["timeline"]
    assert timeline[-1]["report_id"] == report_id
    assert analyst.get(f"/api/reports/{report_id}").json()["status"] == "triaged"
