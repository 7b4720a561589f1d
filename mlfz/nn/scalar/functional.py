"""Functions of a Scalar: each one a single node in the graph.

Like the operators in `core`, each function computes its value and its local
derivative together. Plain Python numbers are accepted and treated as
constants.
"""

import math

from .core import Scalar, _node

__all__ = ["sin", "cos", "exp", "log", "sigmoid", "relu", "tanh"]

# Past this, exp overflows a float64 (exp(709.78) is the largest one).
_EXP_LIMIT = math.log(1.7976931348623157e308)


def _as_scalar(x, name):
    if type(x) is Scalar:
        return x
    try:
        return Scalar(x)
    except TypeError:
        raise TypeError(f"{name}() needs a Scalar or a real number, got {x!r}") from None


def sin(x):
    x = _as_scalar(x, "sin")
    # d sin(x)/dx = cos(x)
    return _node(math.sin(x.value), x, math.cos(x.value))


def cos(x):
    x = _as_scalar(x, "cos")
    # d cos(x)/dx = -sin(x)
    return _node(math.cos(x.value), x, -math.sin(x.value))


def exp(x):
    """e ** x. Raises OverflowError, naming x, when e ** x exceeds a float64.

    We raise rather than return inf: an inf would turn into NaN a few
    operations later, far from its cause.
    """
    x = _as_scalar(x, "exp")
    if x.value > _EXP_LIMIT:
        raise OverflowError(f"exp({x.value}) is too large for a float64 (the limit is exp({_EXP_LIMIT:.2f}))")
    value = math.exp(x.value)
    # d exp(x)/dx = exp(x)
    return _node(value, x, value)


def log(x):
    """The natural logarithm. Raises ValueError, naming x, unless x > 0."""
    x = _as_scalar(x, "log")
    if x.value <= 0.0:
        raise ValueError(f"log is only defined for positive numbers, got log({x.value})")
    # d log(x)/dx = 1/x
    return _node(math.log(x.value), x, 1.0 / x.value)


def sigmoid(x):
    """1 / (1 + e^-x), computed so that no exp overflows, even at x = ±1e6."""
    x = _as_scalar(x, "sigmoid")
    if x.value >= 0.0:
        s = 1.0 / (1.0 + math.exp(-x.value))
    else:
        # For negative x, e^-x could overflow; e^x cannot.
        e = math.exp(x.value)
        s = e / (1.0 + e)
    # d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x))
    return _node(s, x, s * (1.0 - s))


def relu(x):
    x = _as_scalar(x, "relu")
    # d relu(x)/dx = 1 if x > 0 else 0 (we pick 0 at the kink)
    if x.value > 0.0:
        return _node(x.value, x, 1.0)
    return _node(0.0, x, 0.0)


def tanh(x):
    """The hyperbolic tangent; math.tanh saturates to ±1 without overflow."""
    x = _as_scalar(x, "tanh")
    t = math.tanh(x.value)
    # d tanh(x)/dx = 1 - tanh(x)^2
    return _node(t, x, 1.0 - t * t)
