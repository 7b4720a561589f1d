"""Fixtures: the built book served on 127.0.0.1, and Debian's headless Chromium."""

import functools
import http.server
import threading

import pytest

from book_source import TocPage, toc_pages
from site_browser import (
    BOOK_DIR,
    CHROMIUM,
    CHROMIUM_ARGS,
    SITE_DIR,
    is_local,
    open_page,
)


def pytest_generate_tests(metafunc):
    if "toc_page" in metafunc.fixturenames:
        found = toc_pages(BOOK_DIR)
        metafunc.parametrize("toc_page", found, ids=[p.id for p in found])
    if "notebook_page" in metafunc.fixturenames:
        notebooks = [p for p in toc_pages(BOOK_DIR) if p.is_notebook]
        metafunc.parametrize("notebook_page", notebooks, ids=[p.id for p in notebooks])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass  # failed requests are caught by the browser's listeners instead


@pytest.fixture(scope="session")
def pages() -> list:
    return toc_pages(BOOK_DIR)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_url(browser):
    if not (SITE_DIR / "index.html").exists():
        pytest.fail(f"no built book at {SITE_DIR}: run `make book` first (or set MLFZ_SITE_DIR)")
    handler = functools.partial(_QuietHandler, directory=str(SITE_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def context(browser, site_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)

    def offline_only(route):
        # Nothing outside 127.0.0.1 is fetched: the site must work offline.
        if is_local(route.request.url, site_url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    ctx.route("**/*", offline_only)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def loaded_pages(context, site_url):
    """Each page in _toc.yml, opened once and shared by the checks that read it."""
    cache = {}

    def get(toc_page: TocPage):
        if toc_page.docname not in cache:
            cache[toc_page.docname] = open_page(context, site_url, toc_page.html_path)
        loaded = cache[toc_page.docname]
        # Chromium throttles animation frames in background tabs, and
        # Playwright's clicks wait on them: seconds per click without this.
        loaded.page.bring_to_front()
        return loaded

    yield get
    for loaded in cache.values():
        loaded.page.close()
