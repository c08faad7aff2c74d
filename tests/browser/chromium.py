"""Fixtures for a real browser (imported by the test modules): Debian's Chromium, headless, driven by Playwright.

Playwright cannot download its own browser here, so it runs /usr/bin/chromium
(`.ci/run` installs it with apt-get). Sites are served by http.server on 127.0.0.1 in
a thread; every request to another host is aborted, so no test touches the network.
"""

import os
import shutil
import threading
from contextlib import ExitStack, contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def unavailable(reason: str):
    """In CI a missing browser is a failure (.ci/run installs it); elsewhere a skip."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A Chromium with a fresh profile (user-data-dir), open for one test module."""
    if shutil.which(CHROMIUM) is None:
        unavailable(f"no {CHROMIUM}: apt-get install -y chromium chromium-driver")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
        )
        context.route("**/*", _local_only)
        try:
            yield context
        finally:
            context.close()


def _local_only(route):
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def _serving(folder):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def serve():
    """serve(folder) -> the base URL of a static server for it, stopped after the test."""
    with ExitStack() as stack:
        yield lambda folder: stack.enter_context(_serving(folder))


READ_JSON_LD = """() => Array.from(document.querySelectorAll('script[type="application/ld+json"]'))
  .map(s => ({ours: s.hasAttribute('data-clinicgraph'), inHead: s.parentNode === document.head,
              json: JSON.stringify(JSON.parse(s.textContent))}))"""


@pytest.fixture
def visit(browser):
    """visit(url) -> (page, JSON-LD blocks as the page's own JSON.parse reads them, page errors)."""
    import json

    pages = []

    def open_page(url):
        page = browser.new_page()
        pages.append(page)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        blocks = [dict(block, json=json.loads(block["json"])) for block in page.evaluate(READ_JSON_LD)]
        return page, blocks, errors

    yield open_page
    for page in pages:
        page.close()
