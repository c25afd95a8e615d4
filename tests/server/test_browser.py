"""End to end in a real headless browser (Debian's chromium through Selenium), against a real
server on loopback: what a security officer, a member of staff and a recipient each do.

Skipped when chromium or chromedriver is missing, unless ``LEAKTRACE_REQUIRE_BROWSER=1`` (as in
CI), where that is a failure. ``LEAKTRACE_SCREENSHOTS=DIR`` saves the main pages as PNGs
(``docs/images`` holds the ones the documentation shows).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaktrace.core.registry import Registry
from leaktrace.demo.corpus import BRIEFING
from leaktrace.server.app import create_app
from tests.server.conftest import LEAK, PASSWORD, ROLES, add_user, server_config
from tests.server.live import running
from tests.store.backends import sqlite_url

pytestmark = pytest.mark.browser
REQUIRE_ENV = "LEAKTRACE_REQUIRE_BROWSER"
SCREENSHOTS_ENV = "LEAKTRACE_SCREENSHOTS"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.wait import WebDriverWait
except ImportError:  # pragma: no cover - the test extra installs it
    webdriver = None  # type: ignore[assignment]


def need_browser() -> tuple[str, str]:
    missing = [
        name
        for name, found in (
            ("selenium", webdriver),
            ("chromium", CHROMIUM),
            ("chromedriver", CHROMEDRIVER),
        )
        if not found
    ]
    if missing:
        message = (
            f"browser tests need {', '.join(missing)} (apt-get install chromium chromium-driver)"
        )
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {message}")
        pytest.skip(message)
    assert CHROMIUM and CHROMEDRIVER
    return CHROMIUM, CHROMEDRIVER


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> Iterator[str]:
    need_browser()
    folder = tmp_path_factory.mktemp("live")
    app = create_app(server_config(sqlite_url(folder), folder / "home"), registry)
    for role in ROLES:
        add_user(app, role, role)
    try:
        with running(app) as url:
            yield url
    finally:
        app.state.services.close()


@pytest.fixture(scope="module")
def driver(base_url: str) -> Iterator[WebDriver]:
    chromium, chromedriver = need_browser()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium try to download anything
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--disable-gpu",
    ):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    browser.implicitly_wait(5)
    browser.set_page_load_timeout(120)  # a busy CI machine: slow, not broken
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return tmp_path


class Visit:
    """What a person does in the browser: open pages, fill fields, press buttons."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def fill(self, name: str, value: str) -> None:
        field = self.driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)

    def choose_file(self, name: str, path: Path) -> None:
        self.driver.find_element(By.NAME, name).send_keys(str(path))

    def press(self, label: str) -> None:
        """Press a form's button and wait for the page it leads to (every button submits)."""
        for attempt in range(3):
            self.wait_until_loaded()
            page = self.driver.find_element(By.TAG_NAME, "html")
            button = self.driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']")
            try:
                button.click()
                break
            except (StaleElementReferenceException, WebDriverException) as error:
                # On a loaded machine chromium may report an error for a click whose form was
                # already submitting (the old page is gone: done), or swap the document before
                # the click landed (the page is still there: click again).
                if gone(page):
                    break
                if attempt == 2 or "document" not in str(error).lower():
                    raise
        WebDriverWait(self.driver, 30).until(staleness_of(page))
        self.wait_until_loaded()

    def wait_until_loaded(self) -> None:
        WebDriverWait(self.driver, 30).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete"
        )

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def element(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def log_in(self, username: str) -> None:
        self.driver.delete_all_cookies()
        self.open("/login")
        self.fill("username", username)
        self.fill("password", PASSWORD)
        self.press("Log in")
        assert username in self.element("header .who").text

    def as_stranger(self) -> None:
        self.driver.delete_all_cookies()

    def screenshot(self, name: str) -> None:
        folder = os.environ.get(SCREENSHOTS_ENV)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def gone(element: WebElement) -> bool:
    """Whether ``element``'s document has been replaced."""
    try:
        element.tag_name  # noqa: B018 - asking is the test
    except StaleElementReferenceException:
        return True
    return False


@pytest.fixture
def visit(driver: WebDriver, base_url: str) -> Visit:
    return Visit(driver, base_url)


def test_log_in_upload_a_leak_and_triage_it_into_a_case(visit: Visit, files: Path) -> None:
    visit.log_in("analyst")
    leak = files / "deploy-notes.txt"
    leak.write_bytes(LEAK)
    visit.open("/scans")
    visit.choose_file("files", leak)
    visit.press("Scan")
    assert "findings in 1 file" in visit.text()
    assert "secret/aws-access-key-id" in visit.text()
    visit.screenshot("findings")
    visit.driver.find_element(By.XPATH, "//tr[td[contains(., 'aws-access-key-id')]]//a").click()
    WebDriverWait(visit.driver, 30).until(lambda d: "/findings/" in d.current_url)
    assert "AKIA" in visit.element("#evidence").text
    visit.screenshot("finding")
    status = visit.driver.find_element(By.NAME, "status")
    status.find_element(By.XPATH, "option[.='acknowledged']").click()
    visit.press("Set status")
    assert visit.element("#status").text == "acknowledged"
    visit.fill("title", "AWS key in deployment notes")
    visit.press("Open case")
    assert "Case 1: AWS key in deployment notes" in visit.text()
    visit.fill("text", "Key revoked; asking the author how it got there.")
    visit.press("Add note")
    visit.driver.find_element(
        By.XPATH, "//select[@name='status']/option[.='investigating']"
    ).click()
    visit.press("Set status")
    timeline = visit.element("#timeline").text
    assert "aws-access-key-id in deploy-notes.txt" in timeline
    assert "Key revoked" in timeline
    assert visit.element("#case-status").text == "investigating"
    visit.screenshot("case")
    visit.open("/")
    assert visit.element("#untriaged").text.isdigit()


def test_an_anonymous_report_followed_up_with_its_receipt(visit: Visit) -> None:
    visit.as_stranger()
    visit.open("/report")
    visit.fill("text", "Slides from the Kestrel board meeting are on a public file share.")
    visit.press("Send report")
    receipt = visit.element("#receipt").text
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", receipt)
    visit.screenshot("report-receipt")
    visit.driver.delete_all_cookies()  # they come back another day
    visit.open("/report/follow-up")
    visit.fill("receipt", receipt.lower())
    visit.press("Open my report")
    assert "Slides from the Kestrel board meeting" in visit.element("#messages").text
    visit.fill("text", "The share is called kestrel-public.")
    visit.press("Add")
    assert "The share is called kestrel-public." in visit.element("#messages").text
    visit.log_in("analyst")
    visit.open("/reports")
    assert "anonymous" in visit.element("#reports").text


def test_report_a_device_lost_and_read_its_exposure_report(visit: Visit, files: Path) -> None:
    visit.log_in("analyst")
    visit.open("/devices")
    visit.fill("name", "Finance laptop 12")
    visit.fill("owner", "Priya Natarajan")
    visit.fill("serial", "PF3K9X2L")
    visit.press("Register")
    image = files / "disk.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Users/priya/Desktop/deploy.txt", LEAK)
    image.write_bytes(buffer.getvalue())
    visit.choose_file("files", image)
    visit.press("Scan device")
    assert "scanned:" in visit.text()
    visit.press("Report lost")
    assert "Exposure report: Finance laptop 12" in visit.text()
    assert "secret/aws-access-key-id" in visit.element("#exposed-credentials").text
    visit.screenshot("exposure")


def test_issue_a_briefing_and_acknowledge_it_as_a_recipient(visit: Visit, files: Path) -> None:
    visit.log_in("analyst")
    document = files / "kestrel-briefing.txt"
    document.write_text(BRIEFING, encoding="utf-8")
    visit.open("/briefings")
    visit.fill("title", "Kestrel Q3 briefing")
    visit.choose_file("document", document)
    visit.fill("recipients", "jdoe,Jane Doe\nbsmith,Bob Smith")
    visit.press("Issue traced copies")
    links = [
        a.get_attribute("href")
        for a in visit.driver.find_elements(By.CSS_SELECTOR, ".personal-link")
    ]
    assert len(links) == 2 and all(links)
    visit.as_stranger()
    visit.driver.get(links[0] or "")
    assert "For Jane Doe" in visit.text()
    visit.press("I have read this briefing")
    assert "You acknowledged" in visit.element("#acknowledged").text
    visit.screenshot("briefing-recipient")
    visit.log_in("viewer")
    visit.open("/briefings")
    assert "1 of 2" in visit.element("#briefings").text
    visit.driver.find_element(By.LINK_TEXT, "1").click()
    WebDriverWait(visit.driver, 30).until(lambda d: d.current_url.endswith("/briefings/1"))
    rows = visit.element("#recipients").text
    assert re.search(r"jdoe Jane Doe .*yes", rows)
    assert re.search(r"bsmith Bob Smith .*not yet", rows)
    visit.screenshot("briefing")
    visit.open("/")  # after every journey above: the overview has something to draw
    assert visit.driver.find_elements(By.CSS_SELECTOR, "svg.chart")
    visit.screenshot("overview")
