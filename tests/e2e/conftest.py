"""Browser tests: a real server in a subprocess on its own database, driven by Playwright in
Debian's headless Chromium. Without Chromium they skip, except under CI where they must run."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings
from tests.factories import SCREENSHOTS, LiveServer

CHROMIUM = os.environ.get("READINGROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # One browser process per worker is plenty on two cores.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    server = LiveServer(settings)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def refusals() -> list[int]:
    """The statuses a test expects the server to refuse its requests with, in order. A test
    that asks for it fails on any other failed request, or one expected but not made; the
    console's report of an expected refusal is no error."""
    return []


# How the browser and htmx report a request the server refused.
_REFUSED = re.compile(r"status of (\d{3})|Error Code (\d{3})")


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A fresh browser context; any page error or console error fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    expected: list[int] | None = (
        request.getfixturevalue("refusals") if "refusals" in request.fixturenames else None
    )
    problems: list[str] = []
    refused: list[int] = []

    def console(m) -> None:  # type: ignore[no-untyped-def]
        said = _REFUSED.search(m.text)
        if m.type != "error" or (said and expected and int(said[1] or said[2]) in expected):
            return
        problems.append(f"console {m.type}: {m.text}")

    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("console", console)
    if expected is not None:
        pg.on("response", lambda r: refused.append(r.status) if r.status >= 400 else None)
        pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    pg.set_default_timeout(15_000)
    yield pg
    # What the test saw; the screenshot below may run after the test's server has stopped
    # (fixtures end in reverse order), and a load it triggers then is no fault of the page.
    seen = list(problems)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not seen, seen
    if expected is not None:
        assert refused == expected, f"refused {refused}, expected {expected}"
