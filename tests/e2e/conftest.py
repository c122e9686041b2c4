"""Browser fixtures: the test app served on a free local port, and Debian's Chromium via Playwright.

``live_server`` serves the session ``app`` with werkzeug in a thread. The test database is a file
(SQLite) or PostgreSQL, so the server thread sees what the test commits through the factories, and the
``db`` fixture empties it after each test as usual.

``page`` opens a new browser context per test (its own cookies: a fresh login), and saves a full-page
screenshot when the test ends; ``shot(page, name)`` saves one on demand. Screenshots go to
``$E2E_SHOTS_DIR`` or ``/tmp/e2e-shots/``.
"""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import require
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, shot


def _static_read_whole(app):
    """Serve static files read whole, their file closed before the body is written.

    werkzeug's development server closes a response's iterable in a ``finally`` that first drains
    the socket; when Chromium drops the connection (a page left while its favicon still loads) that
    drain raises and the close is skipped, so the file is only closed by the garbage collector: a
    ResourceWarning in whichever test runs then (warnings are errors). Production runs gunicorn,
    which closes the iterable first. Only ``/static/`` and the favicon are read whole here.
    """

    def wrapped(environ, start_response):
        body = app(environ, start_response)
        path = environ.get("PATH_INFO", "")
        if not (path.startswith("/static/") or path == "/favicon.ico"):
            return body
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wrapped


class _ServerThread(threading.Thread):
    def __init__(self, app):
        super().__init__(daemon=True, name="e2e-live-server")
        self.server = make_server("127.0.0.1", 0, _static_read_whole(app), threaded=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def run(self) -> None:
        self.server.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.join(timeout=5)


@pytest.fixture(scope="session")
def _live_server_url(app):
    thread = _ServerThread(app)
    thread.start()
    yield thread.url
    thread.stop()


@pytest.fixture
def live_server(_live_server_url, db, app) -> str:
    """The base URL of the running app; the test's data is committed to the shared test database.
    The rooms batch their close events as in production (the in-process tests turn that off)."""
    batch = app.config["LIVE_BATCH_SECONDS"]
    app.config["LIVE_BATCH_SECONDS"] = 0.05
    yield _live_server_url
    app.config["LIVE_BATCH_SECONDS"] = batch


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright's sync API (one for the whole run)."""
    require(os.path.exists(CHROMIUM), f"chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh contexts (fresh cookies): new_page(viewport=...) -> page."""
    contexts = []

    def _open(**context_kw):
        context = browser.new_context(locale="es-MX", **context_kw)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for n, context in enumerate(contexts):
        for m, page in enumerate(context.pages):
            try:
                shot(page, f"{request.node.name}-ctx{n}-p{m}-final")
            except Exception:  # a page that already crashed must not hide the real failure
                pass
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a new browser context with a desktop-sized viewport."""
    return new_page(viewport={"width": 1280, "height": 900})
