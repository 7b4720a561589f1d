"""Load the notebook timing plugin for `pytest tests/notebooks book`."""

from nb_timing import pytest_addoption, pytest_configure

__all__ = ["pytest_addoption", "pytest_configure"]
