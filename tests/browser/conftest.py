"""Playwright fixtures: Debian's Chromium driving the app served by pytest-django's live server.

Run with `make browser-test` (or `pytest -m browser -p no:xdist`). Screenshots are saved under
test-artifacts/ as evidence of what a user sees.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    """On SQLite the journeys use a database file, not pytest-django's shared-cache in-memory
    database: the live server's threads (a page polling a job) and the job writing in another
    thread would meet SQLite's shared-cache table locks, which fail at once ("database table
    is locked") instead of waiting. A file in WAL mode waits (settings: timeout 30 s)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        path = tmp_path_factory.mktemp("browser-db") / "test_boiduong.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous, so allow them for the browser session only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def demo_world(transactional_db):
    """The demo world in a database the live server can see."""
    from boiduong.core import demo

    demo.build(log=lambda line: None)


@pytest.fixture
def page(browser, live_server, demo_world):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username: str, password: str | None = None) -> None:
    from boiduong.core.demo import DEMO_PASSWORD

    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def apply_filters(page) -> None:
    """Press the list's "Lọc" button (not the phone-only "Bộ lọc" toggle above the form)."""
    page.locator("#bd-filters button[type=submit]").click()
