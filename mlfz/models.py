"""Small models that the chapters build, kept here so that later chapters can import them.

A chapter that introduces a model shows its code (with `inspect.getsource`,
so the page shows exactly what is here); the chapters after it import it
instead of writing it again.
"""

from .nn import Model
from .nn.scalar import Scalar, sigmoid

__all__ = ["LogisticRegression"]


class LogisticRegression(Model):
    """sigmoid(a1 * x1 + a2 * x2 + b) for a point (x1, x2), with every parameter starting at 1."""

    def __init__(self):
        self.a1 = Scalar(1.0)
        self.a2 = Scalar(1.0)
        self.b = Scalar(1.0)

    def forward(self, x):
        x1, x2 = x
        return sigmoid(self.a1 * x1 + self.a2 * x2 + self.b)

    def parameters(self):
        return {"a1": self.a1, "a2": self.a2, "b": self.b}
