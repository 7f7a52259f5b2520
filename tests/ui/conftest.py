"""Fixtures for the web-interface tests: one live server and one real Chromium per test session.

The browser is Debian's chromium at /usr/bin/chromium (installed by `scripts/setup --dev`), driven by
Playwright's Python API; `playwright install` is never used. A missing browser FAILS these tests: they
do not skip. Playwright starts Chromium headless with a fresh, empty profile directory of its own; the
extra flags keep it from reaching for the network (this machine has none, and it would hang).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ui_helpers import LiveServer

CHROMIUM = os.environ.get("OPENIMR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    srv = LiveServer(Path(tmp_path_factory.mktemp("ui-live")))
    srv.service.warm_up()  # the engine's models load once, not inside the first test's draft
    yield srv
    srv.stop()


@pytest.fixture
def fresh_live(live, tmp_path):
    """A server of its own (an empty reviewer panel), for a test whose assignment must be predictable."""
    srv = LiveServer(tmp_path)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM}: Chromium is missing: run scripts/setup --dev (installs Debian's chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Tab:
    """A browser context (its own cookies) with one page, collecting console errors and page errors."""

    def __init__(self, browser, base_url: str, **kw):
        self.context = browser.new_context(base_url=base_url, accept_downloads=True, **kw)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.errors: list[str] = []
        self.allow_http_errors = False  # set by a test that opens a 403/404 page on purpose
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def sign_in(self, token: str, path: str = "/ui/queue") -> None:
        p = self.page
        p.goto(path)
        p.get_by_label("Access token").fill(token)
        p.get_by_label("Access token").press("Enter")  # the keyboard submits the form
        p.wait_for_url(f"**{path}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab_factory(browser, live):
    tabs: list[Tab] = []

    def make(server=None, **kw) -> Tab:
        t = Tab(browser, (server or live).url, **kw)
        tabs.append(t)
        return t

    yield make
    for t in tabs:
        errors = list(t.errors)
        t.close()
        # "No console errors". A 403/404 page opened on purpose logs one resource error; nothing else may.
        if t.allow_http_errors:
            errors = [e for e in errors if "status of 403" not in e and "status of 404" not in e]
        assert not errors, errors
