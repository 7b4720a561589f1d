"""Toy datasets for the book: two blobs and two interleaved spirals.

Each generator takes a `seed` and uses its own random number generator, so
the same call always gives the same points, whatever else used `random`.
Points are returned as a list of (x1, x2) tuples and labels as a list of 0s
and 1s, which is what the Scalar chapters feed their models.
"""

import math
import random

__all__ = ["make_blobs", "make_spiral"]


def make_blobs(n_per_class=100, distance=5.0, seed=0):
    """Two Gaussian blobs centred at (-distance, 0) with label 1 and (distance, 0) with label 0."""
    _check_count(n_per_class, "n_per_class")
    rng = random.Random(seed)
    left = [(rng.gauss(0, 1) - distance, rng.gauss(0, 1)) for _ in range(n_per_class)]
    right = [(rng.gauss(0, 1) + distance, rng.gauss(0, 1)) for _ in range(n_per_class)]
    return left + right, [1] * n_per_class + [0] * n_per_class


def make_spiral(n_per_class=200, noise=0.5, twist=380, seed=0):
    """Two spirals wound into each other, labelled 0 and 1.

    A point's angle p is drawn so that points spread evenly along the arm
    (the square root), and its radius grows with the angle. `twist` is how
    far the arms wind, in degrees; `noise` is the size of a uniform jitter.
    """
    _check_count(n_per_class, "n_per_class")
    rng = random.Random(seed)
    angles = [math.sqrt(rng.random()) * math.radians(twist) for _ in range(n_per_class)]
    arm_0 = [(-math.cos(p) * p + rng.random() * noise, math.sin(p) * p + rng.random() * noise) for p in angles]
    arm_1 = [(math.cos(p) * p + rng.random() * noise, -math.sin(p) * p + rng.random() * noise) for p in angles]
    return arm_0 + arm_1, [0] * n_per_class + [1] * n_per_class


def _check_count(n, name):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")
