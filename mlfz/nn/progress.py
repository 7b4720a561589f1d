"""A progress display for long training loops that does not flood the page.

`LossPrinter` prints the loss about `n_lines` times in a whole run, however
many steps it has: at the first step, every `every` steps, and at the last.
In a terminal it overwrites a single line instead. It needs nothing beyond
the standard library, and its output is plain text, so a notebook stores
the same few lines on every run.
"""

import math
import sys
import time

__all__ = ["LossPrinter"]


class LossPrinter:
    """Call it as `printer(step, loss)` once per step, with steps counted from 1.

    - `n_steps`: the length of the run, so the last step is always shown.
    - `n_lines`: about how many reports to print in the whole run.
    - `show_time`: add the seconds since the first step. Off by default,
      because timings differ between runs and notebooks compare outputs.
    - `overwrite`: rewrite one line in place (with a carriage return) instead
      of printing a new one. By default only in a terminal: a saved notebook
      keeps every character, so overwriting would not save it any space.
    - `file`: where to print; standard output by default.
    """

    def __init__(self, n_steps, n_lines=10, show_time=False, overwrite=None, file=None):
        for name, value in (("n_steps", n_steps), ("n_lines", n_lines)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"LossPrinter: {name} must be a positive int, got {value!r}")
        self.n_steps = n_steps
        self.every = math.ceil(n_steps / n_lines)
        self.show_time = show_time
        self.file = sys.stdout if file is None else file
        if overwrite is None:
            overwrite = getattr(self.file, "isatty", lambda: False)()
        self.overwrite = overwrite
        self.start = None
        self.longest = 0
        self.width = len(str(n_steps))

    def __call__(self, step, loss):
        if self.start is None:
            self.start = time.perf_counter()
        is_last = step == self.n_steps
        if not (step == 1 or step % self.every == 0 or is_last):
            return
        line = f"step {step:>{self.width}}/{self.n_steps}  loss {loss:.6f}"
        if self.show_time:
            line += f"  ({time.perf_counter() - self.start:.1f} s)"
        if self.overwrite:
            # \r returns to the start of the line; padding covers a longer old line.
            self.longest = max(self.longest, len(line))
            print("\r" + line.ljust(self.longest), end="\n" if is_last else "", file=self.file, flush=True)
        else:
            print(line, file=self.file, flush=True)
