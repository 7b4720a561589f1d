"""What the browser test expects, read from the book's own files.

The pages come from `_toc.yml`, the repository and launch settings from
`_config.yml`, and the figure and hidden-cell counts from the notebooks, so
nothing here names a chapter.
"""

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCE_SUFFIXES = (".ipynb", ".md")
IMAGE_MIMETYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
HIDDEN_TAGS = {"remove-cell", "remove-output"}


@dataclass(frozen=True)
class TocPage:
    docname: str  # "book/intro": the path in _toc.yml without its suffix
    source: Path

    @property
    def html_path(self) -> str:
        return self.docname + ".html"

    @property
    def is_notebook(self) -> bool:
        return self.source.suffix == ".ipynb"

    @property
    def id(self) -> str:
        return self.docname


def _strip_suffix(name: str) -> str:
    for suffix in SOURCE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def toc_docnames(toc: dict) -> list:
    """Every file in the table of contents, in reading order."""
    names = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "glob" in entry:
                raise ValueError(f"_toc.yml glob entries are not supported by this test: {entry}")
            if "file" in entry:
                names.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    for key in ("parts", "chapters", "sections"):
        walk(toc.get(key, []))
    return [_strip_suffix(name) for name in names]


def toc_pages(book_dir: Path) -> list:
    toc = yaml.safe_load((book_dir / "_toc.yml").read_text())
    pages = []
    for docname in toc_docnames(toc):
        sources = [book_dir / (docname + s) for s in SOURCE_SUFFIXES]
        existing = [p for p in sources if p.exists()]
        if not existing:
            raise FileNotFoundError(f"_toc.yml lists {docname}, but none of {sources} exists")
        pages.append(TocPage(docname, existing[0]))
    return pages


def book_config(book_dir: Path) -> dict:
    return yaml.safe_load((book_dir / "_config.yml").read_text()) or {}


def _tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []))


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text())


def displayed_image_count(notebook_path: Path) -> int:
    """Images a reader should see: image outputs, less removed and glue-only ones."""
    count = 0
    for cell in _notebook(notebook_path)["cells"]:
        if cell["cell_type"] != "code" or _tags(cell) & HIDDEN_TAGS:
            continue
        for output in cell.get("outputs", []):
            if "scrapbook" in output.get("metadata", {}):
                continue  # a glued value; myst-nb shows it only where it is pasted
            if any(m in output.get("data", {}) for m in IMAGE_MIMETYPES):
                count += 1
    return count


def hide_input_count(notebook_path: Path) -> int:
    return sum(
        1
        for cell in _notebook(notebook_path)["cells"]
        if cell["cell_type"] == "code" and "hide-input" in _tags(cell) and "remove-cell" not in _tags(cell)
    )


def cell_count(notebook_path: Path) -> int:
    return len(_notebook(notebook_path)["cells"])


def executed_notebook(site_dir: Path, page: TocPage) -> Path:
    """The notebook as the build executed it (myst-nb keeps it beside html/)."""
    executed = site_dir.parent / "jupyter_execute" / (page.docname + ".ipynb")
    return executed if executed.exists() else page.source


def notebook_repo_path(repo_root: Path, page: TocPage) -> str:
    """The notebook's path inside the repository, as Binder opens it."""
    return posixpath.normpath(page.source.relative_to(repo_root).as_posix())
