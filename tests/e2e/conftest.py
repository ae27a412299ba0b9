"""Playwright against Debian's Chromium and pytest-django's live server.

Screenshots go to test-results/ (ignored by git): CI keeps them as artifacts, and a person can
look at them. Playwright's sync API runs an event loop in the test thread, hence the flag that
lets the ORM run there too."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.reference import load_reference

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "khuyencong-demo"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("KC_REQUIRE_SERVICES") == "1":
            pytest.fail(
                "KC_REQUIRE_SERVICES=1 but Chromium is not installed (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo data set, in the database the live server reads."""
    load_reference()
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def open_page(browser, live_server):
    """open_page(width, height) -> a Vietnamese page of a new browser context on the live server;
    console errors (a CSP violation, a script error) are collected in page.errors."""
    contexts = []

    def open_(width: int = 1366, height: int = 768):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="vi-VN",
            extra_http_headers={"Accept-Language": "vi"},
            base_url=live_server.url,
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_
    for context in contexts:
        context.close()


def log_in(page, username: str) -> None:
    page.goto("/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
