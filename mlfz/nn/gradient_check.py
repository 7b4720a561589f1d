"""Gradient checking: compare backpropagation with central finite differences.

Backpropagation gives every gradient in one pass, but a single wrong local
derivative makes it silently wrong. The definition of the derivative gives a
slow, independent check: nudge one input by a small eps each way and watch
the output move,

    df/dx ≈ (f(x + eps) - f(x - eps)) / (2 eps).

`gradcheck` does this for every input (and, for a Tensor, every element of
it) and reports the worst disagreement. It works with anything that has a
`.value` (a float or a NumPy array), a `.grad` and a `.backward()`.
"""

import math
from typing import NamedTuple

import numpy as np

__all__ = ["gradcheck", "GradcheckResult"]


class GradcheckResult(NamedTuple):
    """What `gradcheck` found, at the place where the two gradients differ most."""

    max_error: float  # the worst error (see `gradcheck` for how it is measured)
    worst_input: int  # position in `inputs` of the input that had it
    worst_element: tuple  # index into that input's value; () for a Scalar
    backprop: float  # the gradient backpropagation gave there
    numerical: float  # the central-difference estimate there
    passed: bool  # max_error <= tol


def gradcheck(f, inputs, eps=1e-6, tol=1e-5):
    """Check the gradients of `f(*inputs)` with respect to each input.

    `f` takes the inputs and returns a single number: a Scalar, or a Tensor
    with one element. It is called once for backpropagation and twice more per
    number checked, each time with one value nudged; every value is put back
    afterwards. Each input's `.grad` is left holding the backprop gradient.

    The error at each number is |backprop - numerical| / max(|backprop|, |numerical|, 1):
    relative for gradients larger than 1, absolute for smaller ones, where
    finite differences lose their relative precision.
    """
    inputs = list(inputs)
    if not inputs:
        raise ValueError("gradcheck: got no inputs to check")
    if all(np.size(getattr(x, "value", 0.0)) == 0 for x in inputs):
        raise ValueError("gradcheck: every input is empty, so there is no number to check")
    for position, x in enumerate(inputs):
        if not (hasattr(x, "value") and hasattr(x, "grad")):
            raise TypeError(f"gradcheck: input {position} has no .value and .grad: {x!r}")
    if not eps > 0:
        raise ValueError(f"gradcheck: eps must be positive, got {eps!r}")

    output = f(*inputs)
    _output_number(output)
    # backward() only reaches the inputs that f used: zero the others first.
    for x in inputs:
        x.grad = x.value * 0.0
    output.backward()
    backprops = [np.array(x.grad, dtype=np.float64) for x in inputs]

    worst = None
    for position, x in enumerate(inputs):
        original = x.value
        try:
            for element in np.ndindex(np.shape(original)):
                x.value = _nudged(original, element, eps)
                above = _output_number(f(*inputs))
                x.value = _nudged(original, element, -eps)
                below = _output_number(f(*inputs))
                numerical = (above - below) / (2 * eps)
                backprop = float(backprops[position][element])
                error = abs(backprop - numerical) / max(abs(backprop), abs(numerical), 1.0)
                if math.isnan(error):
                    error = math.inf  # a NaN on either side is a failure, not a pass
                if worst is None or error > worst[0]:
                    worst = (error, position, element, backprop, numerical)
        finally:
            x.value = original
    return GradcheckResult(*worst, passed=worst[0] <= tol)


def _nudged(value, element, delta):
    """A copy of `value` with the number at `element` moved by delta."""
    if isinstance(value, np.ndarray):
        value = value.copy()
        value[element] += delta
        return value
    return value + delta


def _output_number(output):
    """The single number f returned, or an error saying what it returned instead."""
    if not (hasattr(output, "value") and hasattr(output, "backward")):
        raise TypeError(f"gradcheck: f must return a Scalar or a Tensor, got {output!r}")
    value = np.asarray(output.value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"gradcheck: f must return a single number, got a value of shape {value.shape}")
    return value.item()
