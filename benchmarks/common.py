"""Timing helpers shared by the benchmarks: medians of interleaved runs."""

import gc
import statistics
import time


def median_seconds(fns, repeats, warmup=1):
    """Run each function `repeats` times, interleaved so that the machine's
    noise hits all of them alike; return the median seconds of each."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            # Each run starts with a clean heap: one engine's garbage (micrograd
            # makes reference cycles) must not be collected on another's time.
            gc.collect()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def print_table(title, medians, floor):
    """Print each median and its ratio to the floor's median."""
    print(f"\n{title}")
    print(f"  {'':<28}{'median':>12}{'x floor':>10}")
    for name, seconds in medians.items():
        print(f"  {name:<28}{seconds * 1e3:>9.2f} ms{seconds / medians[floor]:>9.1f}x")
