"""Browser tier: Playwright (Python) drives Debian's Chromium against a real ``dagster dev`` on a small real state.

Run: ``pytest -m browser nba_backfill_tests/browser`` (``make test`` runs it with the rest; Chromium comes from
``scripts/install_browser.sh``). The state and the UI are built once for this package by :mod:`browser.state`, the
one package-specific module; the tests only get ``ui.base_url`` and the facts in ``UiState``.
Screenshots of every step go to ``$NBA_BACKFILL_SCREENSHOTS`` or ``nba_backfill_tests/browser/artifacts/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NBA_BACKFILL_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium's own connections are refused on a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Wide enough that Dagster's global graph renders full asset nodes (with their names) instead of minimal ones.
VIEWPORT = {"width": 2400, "height": 1300}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: Playwright tests of the real Dagster UI (Chromium, dagster dev)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    target = Path(os.environ.get("NBA_BACKFILL_SCREENSHOTS") or Path(__file__).parent / "artifacts")
    target.mkdir(parents=True, exist_ok=True)
    return target


# package scope: dagster dev and its daemon stop as soon as the browser tier is done (not at session end).
@pytest.fixture(scope="package")
def ui(tmp_path_factory):
    """The small real state served by ``dagster dev`` (about 60 s to build and start)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install_browser.sh (make test does)")
    from browser.state import running_ui

    with running_ui(tmp_path_factory.mktemp("ui_state")) as state:
        yield state


@pytest.fixture(scope="package")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(chromium, ui):
    """A fresh page; the local dagster.yaml turns Dagster's "Join the Dagster community" modal off (nux), and it is
    skipped if it shows anyway (an instance whose dagster.yaml is not ours).
    """
    context = chromium.new_context(viewport=VIEWPORT, base_url=ui.base_url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    skip = page.get_by_role("button", name="Skip", exact=True)
    page.add_locator_handler(skip, lambda: skip.click())
    yield page
    context.close()


@pytest.fixture()
def shot(page, screenshot_dir, request):
    """``shot("step")`` saves a full-page screenshot named after the test and the step."""
    test = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name)

    def take(step: str) -> Path:
        path = screenshot_dir / f"{test}__{step}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take
