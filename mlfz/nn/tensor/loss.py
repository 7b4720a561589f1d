"""Loss functions: how far a Tensor of predictions is from the labels.

Each loss is a single node whose parent is the predictions, so the gradient
with respect to every prediction is written out next to the value. The
labels are constants. Predictions and labels must have the same shape: a
(400, 1) column against (400,) labels would otherwise broadcast into a
(400, 400) table and give a wrong loss without any error.
"""

import numpy as np

from .core import Tensor, _node

__all__ = ["mean_squared_error", "binary_cross_entropy"]

# Predictions are clipped into [_EPS, 1 - _EPS] before the logarithms.
_EPS = 1e-12


def _check_pair(preds, ys, name):
    if type(preds) is not Tensor:
        preds = Tensor(preds)
    ys = ys.value if type(ys) is Tensor else np.asarray(ys, dtype=np.float64)
    if preds.shape != ys.shape:
        raise ValueError(f"{name}: predictions of shape {preds.shape} and labels of shape {ys.shape} differ")
    if preds.value.size == 0:
        raise ValueError(f"{name}: got no predictions")
    return preds, ys


def mean_squared_error(preds, ys):
    """The mean of (p - y)² over every prediction p and its label y."""
    preds, ys = _check_pair(preds, ys, "mean_squared_error")
    n = ys.size
    diff = preds.value - ys
    # An inf (an overflow upstream) or a NaN label would give NaN gradients: stop here.
    if not np.isfinite(diff).all():
        raise ValueError(f"mean_squared_error: predictions and labels must be finite numbers, "
                         f"got p - y = {diff[~np.isfinite(diff)][:5]}")
    # d/dp = 2 (p - y) / n
    return _node(np.mean(diff * diff), (preds,), (lambda g: g * (2.0 / n) * diff,))


def binary_cross_entropy(preds, ys):
    """-mean(y log p + (1 - y) log(1 - p)), for probabilities p and labels y in [0, 1].

    Numerically stable: p is clipped into [1e-12, 1 - 1e-12] first, so a
    prediction of exactly 0 or 1 costs at most -log(1e-12) ≈ 27.6 instead of
    log(0) = -inf, and the derivative (p - y) / (p (1 - p)) is at most 1e12
    instead of a division by zero. A prediction or a label outside [0, 1]
    (or NaN) raises ValueError.
    """
    preds, ys = _check_pair(preds, ys, "binary_cross_entropy")
    p = preds.value
    # Written so that NaN fails too: every comparison with NaN is False.
    if not (p.min() >= 0.0 and p.max() <= 1.0):
        bad = p[~((p >= 0.0) & (p <= 1.0))]
        raise ValueError(f"binary_cross_entropy needs probabilities in [0, 1], got {bad[:5]}")
    # Written so that NaN fails too, as for the predictions above.
    if not (ys.min() >= 0.0 and ys.max() <= 1.0):
        bad = ys[~((ys >= 0.0) & (ys <= 1.0))]
        raise ValueError(f"binary_cross_entropy needs labels in [0, 1], got {bad[:5]}")
    n = ys.size
    q = np.clip(p, _EPS, 1.0 - _EPS)
    one_minus_q = 1.0 - q
    value = -np.mean(ys * np.log(q) + (1.0 - ys) * np.log(one_minus_q))
    # d/dp = (p - y) / (p (1 - p)) / n
    return _node(value, (preds,), (lambda g: (g / n) * (q - ys) / (q * one_minus_q),))
