"""The seed's spiral training step: mlfz Scalar against a hand-written floor.

400 points, a 2-4-1 network (tanh hidden units, sigmoid output, no biases),
binary cross-entropy and one gradient step. The floor is the same step with
the forward and backward pass written out by hand in plain Python floats.
"""

import math
import random

from common import median_seconds, print_table

from mlfz.datasets import make_spiral
from mlfz.nn import Model
from mlfz.nn.scalar import GradientDescent, Scalar, binary_cross_entropy, sigmoid, tanh

HIDDEN = 4
LR = 0.2


class SeedNetwork(Model):
    """The seed chapter's network, written as a reader types it."""

    def __init__(self):
        self.A = [[Scalar.from_random() for j in range(HIDDEN)] for i in range(2)]
        self.B = [Scalar.from_random() for i in range(HIDDEN)]

    def forward(self, x):
        fs = [sum([self.A[i][j] * x[i] for i in range(2)]) for j in range(HIDDEN)]
        hs = [tanh(f) for f in fs]
        return sigmoid(sum([self.B[j] * hs[j] for j in range(HIDDEN)]))

    def parameters(self):
        A = {f"a{i}{j}": self.A[i][j] for i in range(2) for j in range(HIDDEN)}
        return {**A, **{f"b{j}": self.B[j] for j in range(HIDDEN)}}


def mlfz_step(model, xs, ys):
    loss = binary_cross_entropy([model(x) for x in xs], ys)
    loss.backward()
    model.gradient_update(LR)
    return loss.value


def floor_step(A, B, xs, ys):
    """The same step by hand: forward, BCE, backward, update."""
    n = len(xs)
    gA = [[0.0] * HIDDEN for _ in range(2)]
    gB = [0.0] * HIDDEN
    total = 0.0
    for (x0, x1), y in zip(xs, ys):
        h = [math.tanh(A[0][j] * x0 + A[1][j] * x1) for j in range(HIDDEN)]
        z = sum(B[j] * h[j] for j in range(HIDDEN))
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        q = min(max(p, 1e-12), 1 - 1e-12)
        total -= y * math.log(q) + (1 - y) * math.log(1 - q)
        dz = (p - y) / n  # dBCE/dz through the sigmoid
        for j in range(HIDDEN):
            gB[j] += dz * h[j]
            dh = dz * B[j] * (1 - h[j] * h[j])
            gA[0][j] += dh * x0
            gA[1][j] += dh * x1
    for j in range(HIDDEN):
        B[j] -= LR * gB[j]
        A[0][j] -= LR * gA[0][j]
        A[1][j] -= LR * gA[1][j]
    return total / n


def check_same_step(model, xs, ys):
    """Both steps must compute the same loss from the same weights."""
    A = [[model.A[i][j].value for j in range(HIDDEN)] for i in range(2)]
    B = [b.value for b in model.B]
    a, b = floor_step(A, B, xs, ys), mlfz_step(model, xs, ys)
    assert math.isclose(a, b, rel_tol=1e-9), (a, b)


def main(repeats=41):
    random.seed(0)
    xs, ys = make_spiral(200, noise=2, seed=0)
    model = SeedNetwork()
    check_same_step(model, xs, ys)
    A = [[model.A[i][j].value for j in range(HIDDEN)] for i in range(2)]
    B = [b.value for b in model.B]
    optimizer = GradientDescent(model, binary_cross_entropy)
    medians = median_seconds(
        {
            "hand-written floor": lambda: floor_step(A, B, xs, ys),
            "mlfz Scalar, seed's loop": lambda: mlfz_step(model, xs, ys),
            # The library's loop pauses Python's cycle collector while it trains.
            "mlfz Scalar, .run()": lambda: optimizer.run(xs, ys, lr=LR, n_steps=1),
        },
        repeats,
    )
    print_table("Seed spiral step: 400 points, 2-4-1, tanh/sigmoid, BCE", medians, "hand-written floor")
    return medians["mlfz Scalar, seed's loop"] / medians["hand-written floor"]


if __name__ == "__main__":
    main()
