"""Tests of mlfz.datasets: the right shapes and labels, repeatable, independent of `random`."""

import math
import random

import pytest

from mlfz.datasets import make_blobs, make_spiral


@pytest.mark.parametrize("make", [make_blobs, make_spiral])
def test_same_seed_same_data_whatever_the_global_random_state(make):
    random.seed(1)
    first = make(50, seed=3)
    random.seed(2)
    random.random()
    assert make(50, seed=3) == first
    assert make(50, seed=4) != first


@pytest.mark.parametrize("make", [make_blobs, make_spiral])
def test_points_are_float_pairs_with_balanced_labels(make):
    xs, ys = make(30)
    assert len(xs) == len(ys) == 60
    assert all(len(point) == 2 and all(isinstance(c, float) for c in point) for point in xs)
    assert sorted(set(ys)) == [0, 1] and sum(ys) == 30


def test_blobs_sit_around_their_centres_with_the_documented_labels():
    xs, ys = make_blobs(500, distance=5.0, seed=0)
    for label, centre in [(1, -5.0), (0, 5.0)]:
        cluster = [x for x, y in zip(xs, ys) if y == label]
        mean_x1 = sum(p[0] for p in cluster) / len(cluster)
        mean_x2 = sum(p[1] for p in cluster) / len(cluster)
        # The standard error of a mean of 500 unit normals is 0.045.
        assert abs(mean_x1 - centre) < 0.2 and abs(mean_x2) < 0.2


def test_spiral_arms_mirror_each_other_through_the_origin_before_the_noise():
    n = 40
    xs, ys = make_spiral(n, noise=0.0, seed=5)
    arm_0, arm_1 = xs[:n], xs[n:]
    assert ys == [0] * n + [1] * n
    for (a1, a2), (b1, b2) in zip(arm_0, arm_1):
        assert a1 == pytest.approx(-b1) and a2 == pytest.approx(-b2)


def test_spiral_radius_is_bounded_by_the_twist_and_noise_stays_in_its_box():
    twist = 380
    clean, _ = make_spiral(100, noise=0.0, seed=7)
    noisy, _ = make_spiral(100, noise=2.0, seed=7)
    largest = math.radians(twist)
    assert max(math.hypot(*p) for p in clean) <= largest
    for (c1, c2), (n1, n2) in zip(clean, noisy):
        # The same seed draws the same angles, then adds uniform noise in [0, 2).
        assert 0.0 <= n1 - c1 < 2.0 and 0.0 <= n2 - c2 < 2.0


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10", None, True])
@pytest.mark.parametrize("make", [make_blobs, make_spiral])
def test_a_bad_count_is_refused_by_name(make, bad):
    with pytest.raises(ValueError, match=rf"n_per_class must be a positive int, got {bad!r}"):
        make(bad)
