"""The overview page: its numbers and its charts."""

from __future__ import annotations

from tests.server.conftest import Browser, upload_scan


def test_the_overview_counts_and_draws_findings_and_cases(analyst: Browser) -> None:
    empty = analyst.get("/api/overview").json()
    assert empty["untriaged"] == 0 and empty["by_detector"] == []
    result = upload_scan(analyst)
    analyst.api("POST", "/api/cases", json={"title": "one"})
    numbers = analyst.get("/api/overview").json()
    assert numbers["untriaged"] == result["findings"]
    assert sum(n for _, n in numbers["by_severity"]) == result["findings"]
    assert numbers["per_day"][-1][1] == result["findings"]
    assert ["open", 1] in numbers["cases_by_status"]
    page = analyst.get("/").text
    assert page.count("<svg") == 4
    assert f'<div class="stat" id="untriaged">{result["findings"]}</div>' in page
    assert "<title>Findings by detector</title>" in page and ">secret</text>" in page
