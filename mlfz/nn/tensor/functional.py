"""Functions of a Tensor, applied to every number: each one a single node.

Like the operators in `core`, each function computes its value and, next to
it, how the gradient flows back: g times the function's derivative at each
number. NumPy arrays and Python numbers are accepted and made into Tensors.
"""

import numpy as np

from .core import Tensor, _node

__all__ = ["sin", "cos", "exp", "log", "sigmoid", "relu", "tanh"]

# Past this, exp overflows a float64 (exp(709.78) is the largest one).
_EXP_LIMIT = np.log(np.finfo(np.float64).max)


def _as_tensor(x, name):
    if type(x) is Tensor:
        return x
    try:
        return Tensor(x)
    except TypeError:
        raise TypeError(f"{name}() needs a Tensor, an array or a number, got {x!r}") from None


def _first(values, n=5):
    """A few of the offending numbers, for an error message."""
    values = np.ravel(values)
    return f"{values[:n]}" + (f" (and {values.size - n} more)" if values.size > n else "")


def sin(x):
    x = _as_tensor(x, "sin")
    a = x.value
    # d sin(x)/dx = cos(x)
    return _node(np.sin(a), (x,), (lambda g: g * np.cos(a),))


def cos(x):
    x = _as_tensor(x, "cos")
    a = x.value
    # d cos(x)/dx = -sin(x)
    return _node(np.cos(a), (x,), (lambda g: -g * np.sin(a),))


def exp(x):
    """e ** x. Raises OverflowError, naming the numbers, where e ** x exceeds a float64.

    We raise rather than return inf, as Scalar does: an inf would turn into
    NaN a few operations later, far from its cause.
    """
    x = _as_tensor(x, "exp")
    too_large = x.value > _EXP_LIMIT
    if too_large.any():
        raise OverflowError(f"exp of {_first(x.value[too_large])} is too large for a float64 "
                            f"(the limit is exp({_EXP_LIMIT:.2f}))")
    e = np.exp(x.value)
    # d exp(x)/dx = exp(x)
    return _node(e, (x,), (lambda g: g * e,))


def log(x):
    """The natural logarithm. Raises ValueError, naming the numbers, unless every one is > 0."""
    x = _as_tensor(x, "log")
    a = x.value
    not_positive = a <= 0.0
    if not_positive.any():
        raise ValueError(f"log is only defined for positive numbers, got log of {_first(a[not_positive])}")
    # d log(x)/dx = 1/x
    return _node(np.log(a), (x,), (lambda g: g / a,))


def sigmoid(x):
    """1 / (1 + e^-x), computed so that no exp overflows, even at x = ±1e4.

    With e = e^-|x|, which is at most 1, sigmoid is 1 / (1 + e) for x >= 0
    and e / (1 + e) for x < 0: the same two branches as Scalar's sigmoid.
    """
    x = _as_tensor(x, "sigmoid")
    a = x.value
    e = np.exp(-np.abs(a))
    s = np.where(a >= 0.0, 1.0, e) / (1.0 + e)
    # d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x))
    return _node(s, (x,), (lambda g: g * (s * (1.0 - s)),))


def relu(x):
    x = _as_tensor(x, "relu")
    a = x.value
    # d relu(x)/dx = 1 if x > 0 else 0 (we pick 0 at the kink)
    return _node(np.maximum(a, 0.0), (x,), (lambda g: g * (a > 0.0),))


def tanh(x):
    """The hyperbolic tangent; np.tanh saturates to ±1 without overflow."""
    x = _as_tensor(x, "tanh")
    t = np.tanh(x.value)
    # d tanh(x)/dx = 1 - tanh(x)^2
    return _node(t, (x,), (lambda g: g * (1.0 - t * t),))
