"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Every test keeps a screenshot of the page it ended on under `ARTIFACTS` (printed by `.ci/run`),
passed or failed, so a reviewer can see what the browser saw. Never `playwright install`: the
browser is the system's `/usr/bin/chromium` (installed by the Makefile).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("BUICASUS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "browser"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "pw-test-123"

# Playwright's sync API keeps an event loop on the test thread; the test's own ORM calls
# (fixtures, assertions) run outside it, so Django's async-safety guard is lifted here only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; `make install` installs it.")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts() -> None:
    if ARTIFACTS.exists() and not os.environ.get("PYTEST_XDIST_WORKER"):
        backend = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""
        for old in ARTIFACTS.glob(f"{backend}*.png" if backend else "[!p]*.png"):
            old.unlink()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context on the live server; screenshots the last page when done.

    Any request to a host other than the live server fails the test: the platform must work
    offline, with no CDN.
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    backend = "postgresql-" if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{backend}{name}.png"), full_page=True)
    finally:
        context.close()
    assert not outside, f"the page asked for outside hosts: {outside}"


@pytest.fixture
def login(page: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """`login("editor", "LV")` creates that user and logs in through the login form."""

    def do(role: str | None, country: str | None = None, **extra: Any) -> Any:
        user = make_user(role, country, **extra)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return user

    return do
