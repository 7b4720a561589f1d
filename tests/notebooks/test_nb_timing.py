"""The notebook timing plugin prints its table and really fails over budget.

Each test runs pytest with nbval on a tiny notebook in a separate process,
as `make notebooks` runs the chapters.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

HERE = Path(__file__).parent


@pytest.fixture
def sleepy_notebook(tmp_path):
    notebook = new_notebook(cells=[new_code_cell("import time\ntime.sleep(0.5)"), new_code_cell("print(1 + 1)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "sleepy.ipynb"
    nbformat.write(notebook, path)
    return path


def run_nbval(notebook, *options):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "nb_timing",
         "-p", "no:cacheprovider", *options, notebook.name],
        cwd=notebook.parent, env=env, capture_output=True, text=True, timeout=300,
    )


def table_seconds(output, name):
    """The seconds the table gives for the row `name`."""
    table = output.split("notebook execution time", 1)[1]
    for line in table.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"no row {name!r} in:\n{output}")


def test_within_budget_passes_and_prints_the_table(sleepy_notebook):
    result = run_nbval(sleepy_notebook, "--notebook-budget=600")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notebook execution time" in result.stdout
    # The cell sleeps for half a second, so the notebook cannot take less.
    assert table_seconds(result.stdout, "sleepy.ipynb") >= 0.5
    assert table_seconds(result.stdout, "total") >= 0.5
    assert "budget 600 s" in result.stdout and "FAILED" not in result.stdout


def test_over_budget_fails_the_run_although_every_cell_passed(sleepy_notebook):
    result = run_nbval(sleepy_notebook, "--notebook-budget=0.2")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "over the budget of 0 s" in result.stdout


def test_a_budget_that_is_not_positive_is_refused(sleepy_notebook):
    result = run_nbval(sleepy_notebook, "--notebook-budget=0")
    assert result.returncode != 0
    assert "--notebook-budget must be a positive number of seconds, got 0.0" in result.stderr
