"""A pytest plugin for the notebook tests: seconds per chapter, within a budget.

nbval runs each notebook as a series of test items, one per code cell. This
plugin adds up the time of every item by notebook (its setup, which starts
the kernel for the first cell, the cell itself, and its teardown), prints
a table at the end of the run, and fails the run when the notebooks together
took longer than the budget: Read the Docs' 900-second build limit by
default, or `--notebook-budget=SECONDS`.

`conftest.py` next to this file loads it for `pytest tests/notebooks book`;
elsewhere, load it with `-p nb_timing` with this folder on the Python path.
"""

import pytest

__all__ = ["DEFAULT_BUDGET_SECONDS", "NotebookTimer", "pytest_addoption", "pytest_configure"]

DEFAULT_BUDGET_SECONDS = 900.0


def pytest_addoption(parser):
    parser.addoption(
        "--notebook-budget", type=float, default=DEFAULT_BUDGET_SECONDS, metavar="SECONDS",
        help=f"fail if the notebooks take longer than this in total (default {DEFAULT_BUDGET_SECONDS:.0f})",
    )


def pytest_configure(config):
    # Registered as a plugin, not left as conftest hooks: conftest hooks only
    # see test items under their own folder, and the chapters are in book/.
    config.pluginmanager.register(NotebookTimer(config.getoption("notebook_budget")), "notebook-timer")


class NotebookTimer:
    def __init__(self, budget_seconds):
        if not budget_seconds > 0:
            raise pytest.UsageError(f"--notebook-budget must be a positive number of seconds, got {budget_seconds}")
        self.budget_seconds = budget_seconds
        self.seconds = {}  # notebook path -> seconds

    @property
    def total_seconds(self):
        return sum(self.seconds.values())

    @property
    def over_budget(self):
        return self.total_seconds > self.budget_seconds

    def pytest_runtest_logreport(self, report):
        path = report.nodeid.split("::")[0]
        if path.endswith(".ipynb"):
            self.seconds[path] = self.seconds.get(path, 0.0) + report.duration

    def pytest_sessionfinish(self, session):
        if self.over_budget and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return
        write = terminalreporter.write_line
        terminalreporter.section("notebook execution time")
        width = max(len(path) for path in self.seconds)
        for path, seconds in self.seconds.items():
            write(f"{path:<{width}}  {seconds:7.1f} s")
        write(f"{'total':<{width}}  {self.total_seconds:7.1f} s   (budget {self.budget_seconds:.0f} s)")
        if self.over_budget:
            write(f"FAILED: the notebooks took {self.total_seconds:.1f} s, over the budget of "
                  f"{self.budget_seconds:.0f} s", red=True, bold=True)
