"""The browser test's expectations, read from the book's files: no browser needed."""

import json

import pytest

from book_source import displayed_image_count, hide_input_count, toc_docnames, toc_pages
from site_browser import BOOK_DIR


def test_toc_docnames_follow_reading_order_through_parts_and_sections():
    toc = {
        "root": "book/intro",
        "parts": [
            {"caption": "One", "chapters": [
                {"file": "book/a.ipynb", "sections": [{"file": "book/a1"}]},
                {"file": "book/b.md"},
            ]},
            {"caption": "Two", "chapters": [{"url": "https://example.org", "title": "x"}, {"file": "book/c"}]},
        ],
    }
    assert toc_docnames(toc) == ["book/intro", "book/a", "book/a1", "book/b", "book/c"]


def test_toc_globs_are_refused_rather_than_silently_skipped():
    with pytest.raises(ValueError, match="glob"):
        toc_docnames({"root": "intro", "chapters": [{"glob": "book/*"}]})


def test_every_page_in_the_books_toc_has_a_source_file():
    pages = toc_pages(BOOK_DIR)  # raises, naming the entry, if a file is missing
    assert len(pages) >= 2
    assert all(page.source.is_file() for page in pages)


def _code_cell(outputs, tags=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": "", "outputs": outputs, "execution_count": 1}


def test_figure_and_toggle_counts_skip_what_the_reader_never_sees(tmp_path):
    png = {"output_type": "display_data", "data": {"image/png": "iVBOR"}, "metadata": {}}
    glued = {"output_type": "display_data", "data": {"image/png": "iVBOR"}, "metadata": {"scrapbook": {"name": "fig"}}}
    text = {"output_type": "stream", "name": "stdout", "text": "hi"}
    notebook = {
        "cells": [
            _code_cell([png], tags=["hide-input"]),
            _code_cell([png], tags=["remove-output"]),
            _code_cell([glued]),
            _code_cell([text, png]),
            _code_cell([png], tags=["hide-input", "remove-cell"]),
            {"cell_type": "markdown", "metadata": {"tags": ["hide-input"]}, "source": "# x"},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(notebook))
    assert displayed_image_count(path) == 2
    assert hide_input_count(path) == 1
