"""Small models shared by the Model, optimizer, gradcheck and save/load tests."""

from itertools import product

import pytest

from mlfz.nn import Model
from mlfz.nn.scalar import Scalar, sigmoid, tanh


class Line(Model):
    """y = a x + b, for a one-dimensional x: the convex test problem."""

    def __init__(self, a=0.0, b=0.0):
        self.a = Scalar(a)
        self.b = Scalar(b)

    def forward(self, x):
        return self.a * x + self.b

    def parameters(self):
        return {"a": self.a, "b": self.b}


class TwoFourOne(Model):
    """The seed's spiral network: parameters held in nested lists, named a{i}{j} and b{j}."""

    def __init__(self, values=None):
        values = iter(values) if values is not None else None
        def make():
            return Scalar(next(values)) if values is not None else Scalar.from_random()
        self.A = [[make() for j in range(4)] for i in range(2)]
        self.B = [make() for j in range(4)]

    def forward(self, x):
        hidden = [tanh(sum(self.A[i][j] * x[i] for i in range(2))) for j in range(4)]
        return sigmoid(sum(self.B[j] * hidden[j] for j in range(4)))

    def parameters(self):
        a = {f"a{i}{j}": self.A[i][j] for i, j in product(range(2), range(4))}
        b = {f"b{j}": self.B[j] for j in range(4)}
        return {**a, **b}


def line_data():
    """Points on y = 2x - 1: MSE on them is convex in (a, b), with its minimum 0 at (2, -1)."""
    xs = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]
    return xs, [2.0 * x - 1.0 for x in xs]


def tensor_linear(W, b):
    """A Tensor model X @ W + b, or a skip if the Tensor engine is not there."""
    tensor = pytest.importorskip("mlfz.nn.tensor")

    class Linear(Model):
        def __init__(self):
            self.W = tensor.Tensor(W)
            self.b = tensor.Tensor(b)

        def forward(self, X):
            return X @ self.W + self.b

        def parameters(self):
            return {"W": self.W, "b": self.b}

    return Linear()
