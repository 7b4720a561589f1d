"""micrograd's demo step, in mlfz and (when installed) in micrograd itself.

100 points, an MLP 2-16-16-1 with relu hidden layers and a linear output,
the mean hinge loss plus L2 regularisation, and one gradient step, as in
micrograd's demo notebook. Install micrograd with `pip install micrograd`
(the optional `bench` extra) to see the ratio.
"""

import random

from common import median_seconds

from mlfz.datasets import make_spiral
from mlfz.nn import Model
from mlfz.nn.scalar import Scalar, relu

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4
LR = 0.5


class MLP(Model):
    """Fully connected layers of Scalars, relu between them, a linear output."""

    def __init__(self, sizes):
        self.layers = [
            [([Scalar.from_random(-1, 1) for _ in range(n_in)], Scalar(0.0)) for _ in range(n_out)]
            for n_in, n_out in zip(sizes, sizes[1:])
        ]

    def forward(self, x):
        for depth, layer in enumerate(self.layers):
            x = [sum(w * xi for w, xi in zip(weights, x)) + bias for weights, bias in layer]
            if depth < len(self.layers) - 1:
                x = [relu(v) for v in x]
        return x[0]

    def parameters(self):
        params = {}
        for l, layer in enumerate(self.layers):
            for n, (weights, bias) in enumerate(layer):
                params.update({f"w{l}_{n}_{i}": w for i, w in enumerate(weights)})
                params[f"b{l}_{n}"] = bias
        return params


def mlfz_step(model, xs, ys):
    scores = [model(x) for x in xs]
    data_loss = sum(relu(1 - y * s) for y, s in zip(ys, scores)) * (1.0 / len(xs))
    loss = data_loss + ALPHA * sum(p * p for p in model.parameters().values())
    loss.backward()
    model.gradient_update(LR)
    return loss.value


def micrograd_step(model, xs, ys):
    from micrograd.engine import Value

    scores = [model([Value(a), Value(b)]) for a, b in xs]
    data_loss = sum((1 + -y * s).relu() for y, s in zip(ys, scores)) * (1.0 / len(xs))
    loss = data_loss + ALPHA * sum(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return loss.data


def main(repeats=5):
    random.seed(0)
    xs, labels = make_spiral(50, noise=0.5, seed=0)
    ys = [2 * y - 1 for y in labels]  # the hinge loss wants labels -1 and 1
    steps = {"mlfz Scalar": lambda m=MLP(SIZES): mlfz_step(m, xs, ys)}
    try:
        from micrograd.nn import MLP as MicrogradMLP

        steps["micrograd"] = lambda m=MicrogradMLP(2, SIZES[1:]): micrograd_step(m, xs, ys)
    except ImportError:
        pass
    medians = median_seconds(steps, repeats)
    print("\nmicrograd's demo step: 100 points, MLP 2-16-16-1, relu, hinge loss")
    for name, seconds in medians.items():
        print(f"  {name:<28}{seconds * 1e3:>9.1f} ms")
    if "micrograd" in medians:
        print(f"  mlfz / micrograd: {medians['mlfz Scalar'] / medians['micrograd']:.2f}x")
    else:
        print("  (micrograd is not installed: `pip install micrograd` to compare)")


if __name__ == "__main__":
    main()
