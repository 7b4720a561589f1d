"""Tests of mlfz.metrics.accuracy."""

import math

import pytest

from mlfz.metrics import accuracy
from mlfz.nn.scalar import Scalar


def test_counts_points_on_the_right_side_of_the_threshold():
    xs = [-2.0, -1.0, 1.0, 2.0]
    ys = [0, 1, 1, 1]
    # Class 1 when x > 0: three of the four labels agree.
    assert accuracy(lambda x: 1.0 if x > 0 else 0.0, xs, ys) == 0.75
    # A probability exactly at the threshold counts as class 0.
    assert accuracy(lambda x: 0.5, xs, ys) == 0.25
    assert accuracy(lambda x: 0.5, xs, ys, threshold=0.4) == 0.75


def test_accepts_scalars_and_boolean_like_labels():
    assert accuracy(lambda x: Scalar(0.9), [(0, 0), (1, 1)], [1, True]) == 1.0


def test_refuses_bad_input_by_name():
    with pytest.raises(ValueError, match="2 points but 1 labels"):
        accuracy(lambda x: 0.0, [1, 2], [0])
    with pytest.raises(ValueError, match="no points"):
        accuracy(lambda x: 0.0, [], [])
    with pytest.raises(ValueError, match="labels 0 or 1, got 2"):
        accuracy(lambda x: 0.0, [1], [2])
    with pytest.raises(ValueError, match=r"prediction at \(3, 4\) is NaN"):
        accuracy(lambda x: math.nan, [(3, 4)], [1])
