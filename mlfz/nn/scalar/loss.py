"""Loss functions: how far a list of predictions is from the labels.

Each point's loss is one node whose parent is that point's prediction, with
its local derivative written out next to its value; the mean of those nodes
is the loss. The labels are constants.
"""

import math

from .core import Scalar, _node

__all__ = ["mean_squared_error", "binary_cross_entropy"]

# Predictions are clipped into [_EPS, 1 - _EPS] before the logarithms.
_EPS = 1e-12


def _check_pairs(preds, ys, name):
    preds = [p if type(p) is Scalar else Scalar(p) for p in preds]
    ys = [y.value if type(y) is Scalar else float(y) for y in ys]
    if len(preds) != len(ys):
        raise ValueError(f"{name}: got {len(preds)} predictions but {len(ys)} labels")
    if not preds:
        raise ValueError(f"{name}: got no predictions")
    # An inf (an overflow upstream) would turn into NaN gradients: stop here instead.
    for i, (p, y) in enumerate(zip(preds, ys)):
        if not (math.isfinite(p.value) and math.isfinite(y)):
            raise ValueError(f"{name}: prediction {i} is {p.value} and its label {y}; both must be finite numbers")
    return preds, ys


def mean_squared_error(preds, ys):
    """(1/n) Σ (p - y)²."""
    preds, ys = _check_pairs(preds, ys, "mean_squared_error")
    squares = []
    for p, y in zip(preds, ys):
        diff = p.value - y
        # d(p - y)²/dp = 2 (p - y)
        squares.append(_node(diff * diff, p, 2.0 * diff))
    return sum(squares) * (1.0 / len(squares))


def binary_cross_entropy(preds, ys):
    """-(1/n) Σ [y log p + (1 - y) log(1 - p)], for probabilities p and labels y in [0, 1].

    Numerically stable: each p is clipped into [1e-12, 1 - 1e-12] first, so a
    prediction of exactly 0 or 1 costs at most -log(1e-12) ≈ 27.6 instead of
    log(0) = -inf, and the derivative (p - y) / (p (1 - p)) is at most 1e12
    instead of a division by zero. A prediction or a label outside [0, 1]
    raises ValueError.
    """
    preds, ys = _check_pairs(preds, ys, "binary_cross_entropy")
    losses = []
    for p, y in zip(preds, ys):
        if not 0.0 <= p.value <= 1.0:
            raise ValueError(f"binary_cross_entropy needs probabilities in [0, 1], got {p.value}")
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"binary_cross_entropy needs labels in [0, 1], got {y}")
        q = min(max(p.value, _EPS), 1.0 - _EPS)
        # d/dp of -[y log p + (1 - y) log(1 - p)] = (p - y) / (p (1 - p))
        losses.append(_node(-(y * math.log(q) + (1.0 - y) * math.log(1.0 - q)), p, (q - y) / (q * (1.0 - q))))
    return sum(losses) * (1.0 / len(losses))
