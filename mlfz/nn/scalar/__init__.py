"""A scalar reverse-mode autograd engine: Scalar, its functions, losses, an optimizer and gradcheck."""

from .core import Scalar
from .functional import cos, exp, log, relu, sigmoid, sin, tanh
from .loss import binary_cross_entropy, mean_squared_error
from .optim import GradientDescent
from ..gradient_check import gradcheck

__all__ = [
    "Scalar",
    "sin", "cos", "exp", "log", "sigmoid", "relu", "tanh",
    "mean_squared_error", "binary_cross_entropy",
    "GradientDescent",
    "gradcheck",
]
