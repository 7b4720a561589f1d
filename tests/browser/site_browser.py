"""Where the built site is, and how a page is opened and watched in Chromium.

Settings (environment variables):
  MLFZ_BOOK_DIR  the book root with _config.yml and _toc.yml (default: the repo)
  MLFZ_SITE_DIR  the built HTML (default: MLFZ_BOOK_DIR/_build/html)
  MLFZ_CHROMIUM  the browser binary (default: /usr/bin/chromium)
Screenshots go to MLFZ_SITE_DIR/../screenshots, that is _build/screenshots.
"""

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
BOOK_DIR = Path(os.environ.get("MLFZ_BOOK_DIR", REPO_ROOT)).resolve()
SITE_DIR = Path(os.environ.get("MLFZ_SITE_DIR", BOOK_DIR / "_build" / "html")).resolve()
SCREENSHOT_DIR = SITE_DIR.parent / "screenshots"
CHROMIUM = os.environ.get("MLFZ_CHROMIUM", "/usr/bin/chromium")

# Without the networking flags Chromium keeps calling home, which a closed
# network answers with errors; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_GET_CHROMIUM = (
    "as root, `apt-get install -y chromium` (Debian's package, /usr/bin/chromium) "
    "and `pip install -r requirements.txt` for playwright; or point MLFZ_CHROMIUM at a Chromium"
)


def why_no_browser():
    """The reason the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"browser tests skipped: no Chromium at {CHROMIUM}; to run them: {HOW_TO_GET_CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"browser tests skipped: the playwright package is missing; to run them: {HOW_TO_GET_CHROMIUM}"
    return None


def repo_root_of(path: Path) -> Path:
    try:
        top = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        return Path(top).resolve()
    except (OSError, subprocess.CalledProcessError):
        return path


def is_local(url: str, site_url: str) -> bool:
    return urlsplit(url).netloc == urlsplit(site_url).netloc or url.startswith(("data:", "blob:"))


@dataclass
class LoadedPage:
    """A page opened once, with everything that went wrong while it lived."""

    page: object  # playwright.sync_api.Page
    load_seconds: float = 0.0
    console_errors: list = field(default_factory=list)
    failed_local: list = field(default_factory=list)
    blocked_external: list = field(default_factory=list)


def open_page(context, site_url: str, path: str) -> LoadedPage:
    page = context.new_page()
    loaded = LoadedPage(page)

    def on_console(msg):
        # A blocked external resource logs an error located at its own URL.
        where = msg.location.get("url") or site_url
        if msg.type == "error" and is_local(where, site_url):
            loaded.console_errors.append(f"{msg.text} (at {where})")

    def on_failed(request):
        if request.failure == "net::ERR_ABORTED":
            return  # cancelled by leaving the page; a missing file shows as HTTP 404
        if is_local(request.url, site_url):
            loaded.failed_local.append(f"{request.url}: {request.failure}")
        else:
            loaded.blocked_external.append(request.url)

    def on_response(response):
        if is_local(response.url, site_url) and response.status >= 400:
            loaded.failed_local.append(f"{response.url}: HTTP {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: loaded.console_errors.append(f"uncaught: {exc}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    start = time.perf_counter()
    page.goto(site_url + path, wait_until="load")
    # MathJax typesets after load; wait for it where the page has it.
    page.evaluate("() => window.MathJax?.startup?.promise")
    loaded.load_seconds = time.perf_counter() - start
    return loaded
