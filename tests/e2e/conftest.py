"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are
# still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# README screenshots are refreshed only when asked (CLAIMTRACKER_SCREENSHOTS=docs/screenshots),
# so an ordinary test run leaves the working tree clean; otherwise they go to a scratch folder.
SCREENSHOTS = Path(
    os.environ.get("CLAIMTRACKER_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / "claimtracker-screenshots"
)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for the browser tests (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _one_database_user_at_a_time(transactional_db, live_server):
    """The test's queries wait while the live server answers a request (tests/e2e/db_lock.py).

    Torn down after the test's pages are closed and before the database is flushed (it asks for
    `transactional_db`): a request the browser sent just before its page closed may still be
    running in the server's thread, and flushing under it failed with "database table is locked"
    (seen on a loaded machine), so teardown waits for it.
    """
    from django.db import connection

    from tests.e2e.db_lock import LOCK, locked_execute

    with connection.execute_wrapper(locked_execute):
        yield
    with LOCK:  # the server holds it for each whole request
        pass


@pytest.fixture
def new_page(browser, live_server):
    """new_page(width=1280, locale="en") -> a page in a fresh context (own cookies)."""
    contexts = []

    def make(width: int = 1280, height: int = 900, locale: str = "en-GB"):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            base_url=live_server.url,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and "Content Security Policy" in msg.text
                and page.csp_errors.append(f"{page.url}: {msg.text} {msg.location}")
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, username: str, password: str = "pw") -> None:  # noqa: S107 - the factories' test password
    page.goto("/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/queue/**")


def logout(page) -> None:
    page.click("form[action$='/accounts/logout/'] button")


def shot(page, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


UNLABELLED_JS = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 120))"""


def unlabelled_controls(page) -> list[str]:
    """Visible form controls a screen reader could not name (should be none)."""
    return page.evaluate(UNLABELLED_JS)
