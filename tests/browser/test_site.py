"""The built book as a reader meets it, in headless Chromium.

Every page listed in _toc.yml is served from the built site on 127.0.0.1 and
checked: clean load, figures, typeset math, navigation, search, launch and
download links, hidden-input toggles, internal links and a non-blank
screenshot. External requests are blocked, so the site must stand offline.
"""

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PIL import Image

from book_source import (
    book_config,
    cell_count,
    displayed_image_count,
    executed_notebook,
    hide_input_count,
    notebook_repo_path,
)
from site_browser import BOOK_DIR, SCREENSHOT_DIR, SITE_DIR, open_page, repo_root_of, why_no_browser

if why_no_browser():
    pytest.skip(why_no_browser(), allow_module_level=True)

ARTICLE = "article.bd-article"
# TeX a reader should never see: $...$, \( \[ delimiters, \commands.
RAW_TEX = re.compile(r"\$[^$\n]+\$|\\[(\[]|\\[A-Za-z]{2,}")
# A page counts as blank when almost every pixel of its article is the
# background colour. Measured: an empty article 0% and 1 colour, a two-line
# page 3.5%, this book's pages 15% to 44% with over a thousand colours.
MIN_INK_FRACTION = 0.01
MIN_DISTINCT_COLOURS = 8


def assert_none(items, what: str):
    """Fail listing every item, not pytest's shortened diff."""
    assert not items, f"{what}:\n  " + "\n  ".join(map(str, items))


def site_path(url: str, site_url: str) -> str:
    """'http://127.0.0.1:1234/book/x.html#a' -> 'book/x.html'."""
    path = unquote(urlsplit(url).path)
    return path[len(urlsplit(site_url).path):] if path.startswith(urlsplit(site_url).path) else path


# ---------------------------------------------------------------- each page


def test_page_loads_without_errors(toc_page, loaded_pages):
    loaded = loaded_pages(toc_page)
    assert_none(loaded.console_errors, "console errors")
    assert_none(loaded.failed_local, "local requests that failed")
    # Blocked, so the other checks show whether the page needed them; but a
    # page that reaches out at all does not read offline.
    assert_none(loaded.blocked_external, "requests to other servers")


def test_every_image_loads_and_figures_are_shown(toc_page, loaded_pages):
    page = loaded_pages(toc_page).page
    images = page.evaluate(
        """() => Array.from(document.images).map(img => ({
            src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
            inArticle: !!img.closest('article')}))"""
    )
    broken = [img["src"] for img in images if not img["loaded"]]
    assert_none(broken, "images that did not load")
    if toc_page.is_notebook:
        expected = displayed_image_count(executed_notebook(SITE_DIR, toc_page))
        shown = sum(1 for img in images if img["inArticle"] and img["loaded"])
        assert shown >= expected, f"the notebook made {expected} figures, the page shows {shown}"


def test_math_is_typeset(toc_page, loaded_pages):
    page = loaded_pages(toc_page).page
    state = page.evaluate(
        f"""() => {{
        const math = Array.from(document.querySelectorAll('{ARTICLE} .math'));
        const scripts = Array.from(document.scripts).map(s => s.src).filter(s => /mathjax/i.test(s));
        // Visible prose only: code may hold a literal $ or backslash.
        const skip = 'pre, code, script, style, mjx-container, .highlight, .cell_input';
        const walker = document.createTreeWalker(document.querySelector('{ARTICLE}'), NodeFilter.SHOW_TEXT);
        const prose = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {{
            const el = n.parentElement;
            if (!el.closest(skip) && el.checkVisibility()) prose.push(n.textContent);
        }}
        return {{
            mathjax: !!(window.MathJax && window.MathJax.typesetPromise),
            scripts,
            math: math.length,
            untypeset: math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.trim()),
            prose: prose.join(' '),
        }};
    }}"""
    )
    if state["math"]:
        assert state["mathjax"], f"the page has math but MathJax did not start (loaded from {state['scripts']})"
    assert_none(state["untypeset"], "math elements MathJax left as raw TeX")
    assert_none(sorted(set(RAW_TEX.findall(state["prose"]))), "raw TeX in the visible text")


def ink(image: Image.Image):
    """(fraction of pixels that are not the background colour, distinct colours)."""
    rgb = image.convert("RGB")
    colours = rgb.getcolors(maxcolors=rgb.width * rgb.height)
    background = max(colours)[0]
    return 1 - background / (rgb.width * rgb.height), len(colours)


def test_screenshot_is_not_blank(toc_page, loaded_pages):
    page = loaded_pages(toc_page).page
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOT_DIR / (toc_page.docname.replace("/", "__") + ".png")
    page.screenshot(path=str(shot), full_page=True)
    box = page.locator(ARTICLE).bounding_box()
    assert box and box["height"] > 0, "the page has no article"
    with Image.open(shot) as full:
        article = full.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])))
        fraction, distinct = ink(article)
    assert fraction >= MIN_INK_FRACTION and distinct >= MIN_DISTINCT_COLOURS, (
        f"{shot} looks blank: {fraction:.2%} non-background pixels, {distinct} colours"
    )


def test_sidebar_lists_every_page_in_toc_order(toc_page, loaded_pages, pages, site_url):
    page = loaded_pages(toc_page).page
    hrefs = page.eval_on_selector_all("nav.bd-docs-nav a.reference.internal", "links => links.map(a => a.href)")
    listed = [site_path(href, site_url) for href in hrefs]
    assert listed == [p.html_path for p in pages]


def test_binder_and_download_links(notebook_page, loaded_pages, site_url):
    toc_page = notebook_page
    page = loaded_pages(toc_page).page
    config = book_config(BOOK_DIR)
    repository = config.get("repository", {})
    binderhub = config.get("launch_buttons", {}).get("binderhub_url", "").rstrip("/")
    assert binderhub, "_config.yml sets no launch_buttons.binderhub_url"
    org_repo = urlsplit(repository["url"]).path.strip("/")
    expected_start = f"{binderhub}/v2/gh/{org_repo}/{repository.get('branch', 'master')}?"

    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    binder = [h for h in hrefs if h.startswith(binderhub + "/")]
    assert len(binder) == 1, f"expected one Binder link to {binderhub}, found {binder}"
    assert binder[0].startswith(expected_start), f"Binder link {binder[0]} is not {expected_start}..."
    urlpath = parse_qs(urlsplit(binder[0]).query)["urlpath"][0]
    opened = posixpath.normpath(re.sub(r"^(lab/)?tree/", "", urlpath))
    repo_root = repo_root_of(BOOK_DIR)
    assert opened == notebook_repo_path(repo_root, toc_page), f"Binder opens {opened}"
    assert (repo_root / opened).is_file()

    download = page.eval_on_selector_all(
        "a.btn-download-source-button", "links => links.map(a => a.href)"
    )
    assert [site_path(h, site_url) for h in download] == [f"_sources/{toc_page.docname}.ipynb"]
    response = page.request.get(download[0])
    assert response.ok, f"{download[0]}: HTTP {response.status}"
    notebook = json.loads(response.body())
    assert len(notebook["cells"]) == cell_count(toc_page.source), "the download is not this chapter's notebook"


def test_hidden_input_toggle_reveals_code(notebook_page, loaded_pages):
    toc_page = notebook_page
    page = loaded_pages(toc_page).page
    cells = page.locator(f"{ARTICLE} .cell.tag_hide-input")
    assert cells.count() == hide_input_count(toc_page.source), "hide-input cells in the notebook vs the page"
    for i in range(cells.count()):
        cell = cells.nth(i)
        code = cell.locator(".cell_input")
        assert not code.is_visible(), f"hide-input cell {i} shows its code before the toggle"
        cell.locator("summary").click()
        assert code.is_visible(), f"hide-input cell {i}: the toggle did not reveal the code"
        assert code.inner_text().strip(), f"hide-input cell {i}: the revealed code is empty"


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


def _target_file(path: str) -> Path:
    target = SITE_DIR / path
    return target / "index.html" if path.endswith("/") or path == "" else target


def test_internal_links_resolve(toc_page, loaded_pages, site_url):
    page = loaded_pages(toc_page).page
    # <link rel=next/prev/search> as well as <a>: both lead readers somewhere.
    hrefs = page.eval_on_selector_all("a[href], link[href]", "links => links.map(a => a.href)")
    internal = sorted({h for h in hrefs if h.startswith(site_url)})
    broken = []
    for href in internal:
        parts = urlsplit(href)
        target = _target_file(site_path(href, site_url))
        if not target.is_file():
            broken.append(f"{href}: no file {target}")
        elif parts.fragment and target.suffix == ".html":
            ids = _Ids()
            ids.feed(target.read_text(errors="replace"))
            if unquote(parts.fragment) not in ids.ids:
                broken.append(f"{href}: no anchor #{parts.fragment}")
    assert internal, "the page has no internal links at all"
    assert_none(broken, "internal links that lead nowhere")


# ------------------------------------------------------- across the pages


def test_next_and_previous_follow_the_toc(toc_page, pages, context, site_url):
    index = pages.index(toc_page)
    loaded = open_page(context, site_url, toc_page.html_path)
    page = loaded.page
    try:
        for selector, step in (("a.right-next", 1), ("a.left-prev", -1)):
            neighbour = index + step
            link = page.locator(f".prev-next-area {selector}")
            if not 0 <= neighbour < len(pages):
                assert link.count() == 0, f"{selector} on the {'last' if step > 0 else 'first'} page"
                continue
            link.click()
            page.wait_for_url(site_url + pages[neighbour].html_path + "*")
            page.go_back()
            page.wait_for_url(site_url + toc_page.html_path + "*")
        assert_none(loaded.console_errors, "console errors")
        assert_none(loaded.failed_local, "local requests that failed")
    finally:
        page.close()


def test_search_finds_the_page_by_a_title_word(toc_page, loaded_pages, context, site_url):
    title = loaded_pages(toc_page).page.locator(f"{ARTICLE} h1").first.inner_text()
    words = re.findall(r"[A-Za-z]{4,}", title)
    assert words, f"no word of four letters or more in the title {title!r}"
    word = max(words, key=len).lower()
    loaded = open_page(context, site_url, f"search.html?q={word}")
    page = loaded.page
    try:
        page.wait_for_function(
            "() => /finished|did not match/i.test(document.querySelector('.search-summary')?.innerText || '')"
        )
        found = page.eval_on_selector_all("ul.search li > a", "links => links.map(a => a.href)")
        assert toc_page.html_path in [site_path(h, site_url) for h in found], f"search for {word!r} found {found}"
        assert_none(loaded.console_errors, "console errors")
        assert_none(loaded.failed_local, "local requests that failed")
    finally:
        page.close()


def test_site_root_opens_the_first_page(pages, context, site_url):
    page = context.new_page()
    try:
        page.goto(site_url)  # index.html redirects to the root page of _toc.yml
        page.wait_for_url(site_url + pages[0].html_path + "*")
    finally:
        page.close()
