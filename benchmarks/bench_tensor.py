"""A vectorized spiral training step: mlfz Tensor against a hand-written NumPy floor.

400 points, a 2-8-8-1 network with biases (tanh, tanh, sigmoid), binary
cross-entropy and one gradient step. The floor is the same step with the
forward and backward pass written out by hand in NumPy, with the same
formulas for sigmoid and the clipped cross-entropy; PyTorch (float64, one
thread) is timed too when it is installed. All run in one process, on the
same data and the same starting weights.
"""

import numpy as np
from common import median_seconds, print_table

from mlfz.datasets import make_spiral
from mlfz.nn import Model
from mlfz.nn.tensor import Tensor
from mlfz.nn.tensor.functional import sigmoid, tanh
from mlfz.nn.tensor.loss import binary_cross_entropy

SIZES = (2, 8, 8, 1)
LR = 0.5
EPS = 1e-12  # the clipping of binary_cross_entropy


def spiral_arrays():
    xs, ys = make_spiral(200, noise=2, seed=0)
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64).reshape(-1, 1)


def initial_weights(seed=0):
    """Weights and biases for every layer, as plain arrays."""
    rng = np.random.default_rng(seed)
    weights = {}
    for i, (n_in, n_out) in enumerate(zip(SIZES, SIZES[1:]), start=1):
        weights[f"W{i}"] = rng.uniform(-1, 1, size=(n_in, n_out)) / np.sqrt(n_in)
        weights[f"b{i}"] = np.zeros(n_out)
    return weights


class SpiralNetwork(Model):
    def __init__(self, weights):
        for name, value in weights.items():
            setattr(self, name, Tensor(value))

    def forward(self, x):
        h1 = tanh(x @ self.W1 + self.b1)
        h2 = tanh(h1 @ self.W2 + self.b2)
        return sigmoid(h2 @ self.W3 + self.b3)

    def parameters(self):
        return {name: getattr(self, name) for name in ("W1", "b1", "W2", "b2", "W3", "b3")}


def mlfz_step(model, X, y):
    loss = binary_cross_entropy(model(X), y)
    loss.backward()
    model.gradient_update(LR)
    return float(loss.value)


def floor_step(w, X, y):
    """The same step by hand: forward, loss, backward, update, in place on `w`."""
    n = len(X)
    h1 = np.tanh(X @ w["W1"] + w["b1"])
    h2 = np.tanh(h1 @ w["W2"] + w["b2"])
    z3 = h2 @ w["W3"] + w["b3"]
    e = np.exp(-np.abs(z3))
    p = np.where(z3 >= 0.0, 1.0, e) / (1.0 + e)
    q = np.clip(p, EPS, 1.0 - EPS)
    loss = -np.mean(y * np.log(q) + (1.0 - y) * np.log(1.0 - q))
    # Sigmoid and cross-entropy together: d loss/d z3 = (p - y) / n.
    dz3 = (p - y) / n
    dz2 = (dz3 @ w["W3"].T) * (1.0 - h2 * h2)
    dz1 = (dz2 @ w["W2"].T) * (1.0 - h1 * h1)
    grads = {
        "W3": h2.T @ dz3, "b3": dz3.sum(axis=0),
        "W2": h1.T @ dz2, "b2": dz2.sum(axis=0),
        "W1": X.T @ dz1, "b1": dz1.sum(axis=0),
    }
    for name, grad in grads.items():
        w[name] -= LR * grad
    return float(loss)


def torch_step_fn(weights, X, y):
    """The same step in PyTorch (float64, one thread), or None if torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    params = {name: torch.tensor(value, requires_grad=True) for name, value in weights.items()}
    X, y = torch.tensor(X), torch.tensor(y)

    def step():
        h1 = torch.tanh(X @ params["W1"] + params["b1"])
        h2 = torch.tanh(h1 @ params["W2"] + params["b2"])
        p = torch.sigmoid(h2 @ params["W3"] + params["b3"])
        loss = torch.nn.functional.binary_cross_entropy(p, y)
        for param in params.values():
            param.grad = None
        loss.backward()
        with torch.no_grad():
            for param in params.values():
                param -= LR * param.grad
        return loss.item()

    return step


def check_same_step(weights, X, y):
    """From the same weights, every engine computes the same loss and the same new weights."""
    model = SpiralNetwork(weights)
    floor_weights = {name: value.copy() for name, value in weights.items()}
    losses = {"floor": floor_step(floor_weights, X, y), "mlfz": mlfz_step(model, X, y)}
    for name, value in model.parameter_values().items():
        np.testing.assert_allclose(value, floor_weights[name], rtol=1e-10, atol=1e-12, err_msg=name)
    torch_step = torch_step_fn(weights, X, y)
    if torch_step is not None:
        losses["torch"] = torch_step()
    np.testing.assert_allclose(list(losses.values()), losses["floor"], rtol=1e-10, err_msg=str(losses))


def repeated(step, n):
    """`step` run n times in a row, as in a training loop."""
    def run():
        for _ in range(n):
            step()
    return run


def main(repeats=30, steps_per_run=20):
    X, y = spiral_arrays()
    weights = initial_weights()
    check_same_step(weights, X, y)
    model = SpiralNetwork(weights)
    floor_weights = {name: value.copy() for name, value in weights.items()}
    steps = {
        "hand-written NumPy floor": lambda: floor_step(floor_weights, X, y),
        "mlfz Tensor": lambda: mlfz_step(model, X, y),
    }
    torch_step = torch_step_fn(weights, X, y)
    if torch_step is not None:
        steps["PyTorch (float64, 1 thread)"] = torch_step
    # A step takes a fraction of a millisecond: time runs of consecutive
    # steps, and report the median time of one step.
    runs = median_seconds({name: repeated(step, steps_per_run) for name, step in steps.items()}, repeats)
    medians = {name: seconds / steps_per_run for name, seconds in runs.items()}
    print_table("Spiral step, vectorized: 400 points, 2-8-8-1, tanh/tanh/sigmoid, BCE",
                medians, "hand-written NumPy floor")
    print("  per step: " + ", ".join(f"{name} {seconds * 1e6:.0f} µs" for name, seconds in medians.items()))
    ratio = medians["mlfz Tensor"] / medians["hand-written NumPy floor"]
    print(f"  mlfz Tensor / floor: {ratio:.2f} (the bar is 1.5)")
    if torch_step is None:
        print("  (PyTorch is not installed: pip install torch==2.13.0 to compare)")
    else:
        print(f"  mlfz Tensor / PyTorch: {medians['mlfz Tensor'] / medians['PyTorch (float64, 1 thread)']:.2f}")
    return ratio


if __name__ == "__main__":
    main()
