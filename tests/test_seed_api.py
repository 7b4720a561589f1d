"""The seed chapter's code, as a reader types it, runs against our mlfz.

The classes and loops below are the seed's own (re-indented: the copy lost
its indentation); only the number of steps and the grid size are smaller.
"""

import math
import random
from itertools import product

import numpy as np

from mlfz.nn import Model
from mlfz.nn.scalar import Scalar, binary_cross_entropy, sigmoid, tanh


class ZeroLayerNetwork(Model):
    def __init__(self):
        self.a1 = Scalar(1)
        self.a2 = Scalar(1)
        self.b = Scalar(1)

    def forward(self, x):
        x1, x2 = x
        return sigmoid(self.a1 * x1 + self.a2 * x2 + self.b)

    def parameters(self):
        return {"a1": self.a1, "a2": self.a2, "b": self.b}


class OneLayerNetwork(Model):
    def __init__(self):
        self.A = [[Scalar.from_random() for j in range(4)]
                  for i in range(2)]
        self.B = [Scalar.from_random() for i in range(4)]

    def forward(self, x):
        """
        x: a tuple of two Scalars
        """
        fs = [sum([self.A[i][j] * x[i] for i in range(2)]) for j in range(4)]
        fs_relu = [tanh(f) for f in fs]
        gs = sum([self.B[i] * fs_relu[i] for i in range(4)])
        return sigmoid(gs)

    def parameters(self):
        A_dict = {f"a{i}{j}": self.A[i][j] for i, j in product(range(2), range(4))}
        B_dict = {f"b{i}": self.B[i] for i in range(4)}
        return {**A_dict, **B_dict}


def generate_spiral_dataset(n_points, noise=0.5, twist=380):
    random_points = [math.sqrt(random.random()) * twist * 2 * math.pi/360 for _ in range(n_points)]
    class_1 = [(-math.cos(p) * p + random.random()*noise, math.sin(p) * p + random.random()*noise) for p in random_points]
    class_2 = [(math.cos(p) * p + random.random()*noise, -math.sin(p) * p + random.random()*noise) for p in random_points]
    xs = class_1 + class_2
    ys = [0 for _ in class_1] + [1 for _ in class_2]
    return xs, ys


def seed_loop(model, xs, ys, n_steps, lr):
    losses = []
    for i in range(1, n_steps + 1):
        preds = [model(x) for x in xs]
        l = binary_cross_entropy(preds, ys)
        l.backward()
        model.gradient_update(lr)
        losses.append(l.value)
    return losses


def test_seed_logistic_regression_on_two_blobs():
    random.seed(1)
    xs = [(random.normalvariate(0, 1) - 5 , random.normalvariate(0, 1)) for _ in range(100)] \
        + [(random.normalvariate(0, 1) + 5 , random.normalvariate(0, 1)) for _ in range(100)]
    ys = [1 for _ in range(100)] + [0 for _ in range(100)]
    model = ZeroLayerNetwork()
    losses = seed_loop(model, xs, ys, n_steps=100, lr=0.1)
    # The seed printed 5.03 at step 1 and 0.0053 at step 100 on its own draw.
    assert 3 < losses[0] < 7
    assert losses[-1] < 0.02


def test_seed_spiral_network_learns_something_and_plots_via_vectorize():
    random.seed(2)
    xs, ys = generate_spiral_dataset(200, noise=2)
    model = OneLayerNetwork()
    losses = seed_loop(model, xs, ys, n_steps=30, lr=0.2)
    assert losses[-1] < losses[0]
    # The seed's visualize_model evaluates the model through np.vectorize.
    grid = np.linspace(-10, 10, 7)
    xx, yy = np.meshgrid(grid, grid)
    zz = np.vectorize(lambda x, y: model((x, y)).value)(xx, yy)
    assert zz.shape == (7, 7) and np.all((0 <= zz) & (zz <= 1))


def test_seed_parameters_and_load_parameters_by_name():
    model = OneLayerNetwork()
    names = set(model.parameters())
    assert names == {f"a{i}{j}" for i in range(2) for j in range(4)} | {f"b{i}" for i in range(4)}
    model.load_parameters({"a13": 0.25, "b2": Scalar(-1.0)})
    assert model.A[1][3].value == 0.25 and model.B[2].value == -1.0
