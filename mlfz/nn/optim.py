"""Optimizers: rules that turn gradients into parameter updates.

An optimizer holds the parameters of a model and, on each `step()`, moves
every parameter using its gradient. The three here are the ones PyTorch
calls SGD, SGD with momentum and Adam, with the same hyperparameter names
(lr, momentum, betas, eps). Each is one short `update` method.

The same code serves Scalar and Tensor parameters: a parameter is anything
with a `.value` and a `.grad`, floats or NumPy arrays. The arithmetic below
(`*`, `+`, `-=`, `** 0.5`) means the same for both, and `-=` updates an
array in place while it rebinds a float.

`train` is the training loop written once: predict, measure the loss,
backpropagate, step, optionally on random mini-batches.
"""

import contextlib
import gc
import math
import numbers
import random

import numpy as np

from .progress import LossPrinter

__all__ = ["Optimizer", "GradientDescent", "Momentum", "Adam", "train"]


class Optimizer:
    """The common part: which parameters to update, and one step over all of them.

    `params` is a Model or a dict of name to parameter (what `model.parameters()`
    returns). A Model's parameters are looked up afresh on every step, so the
    optimizer follows the model even if it replaces a parameter. Anything an
    optimizer remembers between steps (a velocity, running averages) is kept
    per parameter name in `self.state`.
    """

    def __init__(self, params, lr):
        if not (hasattr(params, "parameters") or isinstance(params, dict)):
            raise TypeError(
                f"{type(self).__name__} needs a Model or a dict of name to parameter, got {params!r}"
            )
        self.params = params
        self.lr = lr
        self.state = {}

    @property
    def lr(self):
        """The learning rate. It may be changed between steps, for a schedule."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = _check_positive(value, "lr")

    def named_parameters(self):
        """The dict of name to parameter that the next step will update."""
        if isinstance(self.params, dict):
            return self.params
        return self.params.parameters()

    def step(self):
        """Update every parameter from its current gradient."""
        params = self.named_parameters()
        # Check every gradient before changing anything, so a NaN never
        # reaches the parameters and a failed step leaves them as they were.
        for name, param in params.items():
            if param.grad is not None and np.isnan(param.grad).any():
                raise ValueError(f"{type(self).__name__}.step: the gradient of {name!r} is NaN")
        for name, param in params.items():
            # A parameter the loss did not use may have no gradient at all.
            if param.grad is not None:
                self.update(name, param, param.grad)

    def update(self, name, param, grad):
        """Move one parameter. Each optimizer writes its own rule here."""
        raise NotImplementedError


class GradientDescent(Optimizer):
    """Plain gradient descent: step against the gradient, scaled by lr.

        value -= lr * grad
    """

    def update(self, name, param, grad):
        param.value -= self.lr * grad


class Momentum(Optimizer):
    """Gradient descent with momentum (PyTorch's SGD with `momentum`).

    The step follows a velocity, a running sum of past gradients that
    decays by the factor `momentum` each step:

        velocity = momentum * velocity + grad
        value   -= lr * velocity

    Gradients that keep pointing the same way add up to a longer stride;
    gradients that flip sign from step to step cancel out.
    """

    def __init__(self, params, lr, momentum=0.9):
        super().__init__(params, lr)
        self.momentum = _check_fraction(momentum, "momentum")

    def update(self, name, param, grad):
        velocity = self.momentum * self.state.get(name, 0.0) + grad
        self.state[name] = velocity
        param.value -= self.lr * velocity


class Adam(Optimizer):
    """Adam: momentum on the gradient, scaled by a running size of the gradient.

    With t the number of steps this parameter has taken, counting this one:

        m = beta1 * m + (1 - beta1) * grad          (average gradient)
        v = beta2 * v + (1 - beta2) * grad ** 2     (average squared gradient)
        m_hat = m / (1 - beta1 ** t)                 (m and v start at 0, which
        v_hat = v / (1 - beta2 ** t)                  biases early steps; undo it)
        value -= lr * m_hat / (v_hat ** 0.5 + eps)

    Each parameter's step is about lr in size whatever the scale of its
    gradient, which makes lr easier to choose than for gradient descent.
    """

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise TypeError(f"Adam: betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check_fraction(betas[0], "betas[0]"), _check_fraction(betas[1], "betas[1]"))
        self.eps = _check_positive(eps, "eps")

    def update(self, name, param, grad):
        beta1, beta2 = self.betas
        t, m, v = self.state.get(name, (0, 0.0, 0.0))
        t += 1
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        self.state[name] = (t, m, v)
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        param.value -= self.lr * m_hat / (v_hat ** 0.5 + self.eps)


def train(model, loss_fn, optimizer, xs, ys, n_steps, batch_size=None, seed=0, progress=None):
    """Train `model` for `n_steps` optimizer steps; return the loss of every step.

    Each step predicts, computes `loss_fn(preds, ys)`, backpropagates and calls
    `optimizer.step()`. The loss recorded is the one the step started from.

    - `xs`, `ys`: a list of points and a list of labels, fed to the model one
      point at a time (Scalar models); or NumPy arrays, fed as one batch
      (Tensor models).
    - `batch_size`: None uses every point in every step (full-batch). An int
      uses a mini-batch of that many points per step: the data is shuffled,
      walked through in slices, and reshuffled once used up (an epoch).
    - `seed`: seeds the shuffling, so a run can be repeated exactly.
    - `progress`: None prints nothing; True prints the loss about ten times;
      or a callable `progress(step, loss)` such as a `LossPrinter`.
    """
    if len(xs) != len(ys):
        raise ValueError(f"train: got {len(xs)} points but {len(ys)} labels")
    if len(xs) == 0:
        raise ValueError("train: got no points")
    if not (_is_int(n_steps) and n_steps >= 0):
        raise ValueError(f"train: n_steps must be an int of at least 0, got {n_steps!r}")
    if batch_size is not None and not (_is_int(batch_size) and 1 <= batch_size <= len(xs)):
        raise ValueError(
            f"train: batch_size must be None or an int from 1 to {len(xs)} (the number of points), got {batch_size!r}"
        )
    if progress is True:
        progress = LossPrinter(n_steps) if n_steps > 0 else None
    if not (progress is None or callable(progress)):
        raise TypeError(f"train: progress must be None, True or a callable, got {progress!r}")
    batches = _batches(len(xs), batch_size, random.Random(seed))
    losses = []
    with _cycle_collector_paused():
        for step in range(1, n_steps + 1):
            losses.append(_train_step(model, loss_fn, optimizer, xs, ys, next(batches), step))
            if progress is not None:
                progress(step, losses[-1])
    return losses


def _train_step(model, loss_fn, optimizer, xs, ys, indices, step):
    """One step on the points at `indices`; returns the loss it started from."""
    batch_xs, batch_ys = _subset(xs, indices), _subset(ys, indices)
    if isinstance(batch_xs, np.ndarray):
        preds = model(batch_xs)
    else:
        preds = [model(x) for x in batch_xs]
    loss = loss_fn(preds, batch_ys)
    value = _loss_value(loss, step)
    loss.backward()
    optimizer.step()
    return value


@contextlib.contextmanager
def _cycle_collector_paused():
    """Pause Python's cycle collector while training, then restore it.

    A graph has no reference cycles (a node points only to its parents), so
    reference counting frees each step's graph on its own. The cycle
    collector would only rescan the step's tens of thousands of fresh nodes
    over and over: measured here, that doubles a Scalar step in a Jupyter kernel.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _subset(data, indices):
    """The points at `indices` (None means all of them), as a list or an array."""
    if indices is None:
        return data
    if isinstance(data, np.ndarray):
        return data[indices]
    return [data[i] for i in indices]


def _loss_value(loss, step):
    """The loss as a float; a loss that is not a finite number stops training."""
    value = np.asarray(loss.value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"train: the loss must be a single number, got shape {value.shape}")
    value = value.item()
    if not math.isfinite(value):
        raise ValueError(f"train: the loss is {value} at step {step}; training diverged (is lr too large?)")
    return value


def _batches(n, batch_size, rng):
    """Endless index lists: None (every point) each time, or shuffled slices of batch_size."""
    if batch_size is None:
        while True:
            yield None
    order = list(range(n))
    while True:
        rng.shuffle(order)
        for start in range(0, n, batch_size):
            yield order[start:start + batch_size]


def _is_int(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _check_positive(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not x > 0 or math.isinf(x):
        raise ValueError(f"{name} must be a positive number, got {x!r}")
    return float(x)


def _check_fraction(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not 0 <= x < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {x!r}")
    return float(x)
