"""Property tests: Tensor backprop agrees with central differences, under broadcasting.

Every output is weighted by random numbers before it is summed into the
loss, so each of its elements gets a different upstream gradient: a
uniform gradient of ones would hide a gradient routed to the wrong element.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlfz.nn.tensor import Tensor
from mlfz.nn.tensor.functional import cos, exp, log, relu, sigmoid, sin, tanh

seeds = st.integers(0, 2**32 - 1)


def weighted_sum(out, rng):
    """The output times random weights, summed: a loss with a non-uniform upstream gradient."""
    weights = rng.uniform(-2.0, 2.0, size=out.shape)
    return (out * weights).sum(), weights


def numeric_gradients(f, arrays, as_tensor, weights, eps=1e-6):
    """Central differences of sum(f(*inputs).value * weights) for each input made a Tensor."""
    def loss(xs):
        inputs = [Tensor(x) if t else x for x, t in zip(xs, as_tensor)]
        return float(np.sum(f(*inputs).value * weights))

    grads = []
    for i, t in enumerate(as_tensor):
        if not t:
            continue
        grad = np.zeros(np.shape(arrays[i]))
        for index in np.ndindex(grad.shape):
            up, down = list(arrays), list(arrays)
            up[i], down[i] = np.array(arrays[i], dtype=float), np.array(arrays[i], dtype=float)
            up[i][index] += eps
            down[i][index] -= eps
            grad[index] = (loss(up) - loss(down)) / (2 * eps)
        grads.append((i, grad))
    return grads


def check_gradients(f, arrays, rng, as_tensor=None, rtol=1e-5, atol=1e-6):
    """Backprop through f against central differences, for every input made a Tensor.

    `as_tensor[i]` False keeps input i a constant (a plain array or number).
    """
    if as_tensor is None:
        as_tensor = [True] * len(arrays)
    inputs = [Tensor(a) if t else a for a, t in zip(arrays, as_tensor)]
    out = f(*inputs)
    assert isinstance(out, Tensor)
    loss, weights = weighted_sum(out, rng)
    loss.backward()
    for position, expected in numeric_gradients(f, arrays, as_tensor, weights):
        got = inputs[position].grad
        assert isinstance(got, np.ndarray) and got.shape == expected.shape, (got, expected.shape)
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=f"input {position}")


def array(rng, shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, size=shape)


def away_from_zero(rng, shape, low=0.5, high=2.0):
    """Numbers with |x| in [low, high] and a random sign: safe to divide by."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


# ---- binary operators over broadcasting pairs, on both sides --------------

BROADCAST_PAIRS = [
    ((3, 4), (3, 4)),
    ((3, 4), (3, 1)),
    ((3, 4), (1, 4)),
    ((3, 4), (4,)),
    ((3, 4), ()),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
]
# Each pair also the other way round: (3, 1) + (3, 4) as well as (3, 4) + (3, 1).
BOTH_SIDES = BROADCAST_PAIRS + [(b, a) for a, b in BROADCAST_PAIRS]

BINARY = {
    "add": (lambda a, b: a + b, array, array),
    "sub": (lambda a, b: a - b, array, array),
    "mul": (lambda a, b: a * b, array, array),
    "div": (lambda a, b: a / b, array, away_from_zero),
    "pow": (lambda a, b: a ** b, lambda rng, s: array(rng, s, 0.5, 2.0), array),
}


@pytest.mark.parametrize("shapes", BOTH_SIDES, ids=str)
@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("tensors", [(True, True), (True, False), (False, True)],
                         ids=["tensor-tensor", "tensor-constant", "constant-tensor"])
@settings(max_examples=3, deadline=None)
@given(seed=seeds)
def test_binary_operators_under_broadcasting(op, shapes, tensors, seed):
    rng = np.random.default_rng(seed)
    f, left, right = BINARY[op]
    a, b = left(rng, shapes[0]), right(rng, shapes[1])
    # A scalar constant is passed as a Python float, the way a reader writes `x * 2.0`.
    if shapes[1] == () and not tensors[1]:
        b = float(b)
    if shapes[0] == () and not tensors[0]:
        a = float(a)
    check_gradients(f, [a, b], rng, as_tensor=list(tensors))


# ---- matrix products ---------------------------------------------------------

MATMUL_SHAPES = [
    ((3, 4), (4, 2)),
    ((4,), (4, 2)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((2, 3, 4), (4, 2)),
    ((3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
@pytest.mark.parametrize("tensors", [(True, True), (True, False), (False, True)],
                         ids=["tensor-tensor", "tensor-constant", "constant-tensor"])
@settings(max_examples=3, deadline=None)
@given(seed=seeds)
def test_matmul(shapes, tensors, seed):
    rng = np.random.default_rng(seed)
    check_gradients(lambda a, b: a @ b, [array(rng, shapes[0]), array(rng, shapes[1])], rng,
                    as_tensor=list(tensors))


# ---- functions and unary operations -----------------------------------------

UNARY = {
    "neg": (lambda a: -a, array),
    "sin": (sin, array),
    "cos": (cos, array),
    "exp": (exp, array),
    "log": (log, lambda rng, s: array(rng, s, 0.3, 3.0)),
    "sigmoid": (sigmoid, lambda rng, s: array(rng, s, -6.0, 6.0)),
    "relu": (relu, away_from_zero),  # away from the kink at 0
    "tanh": (tanh, array),
    "square": (lambda a: a ** 2, array),
    "cube": (lambda a: a ** 3, array),
    "sqrt": (lambda a: a ** 0.5, lambda rng, s: array(rng, s, 0.3, 3.0)),
    "reciprocal_power": (lambda a: a ** -1, away_from_zero),
    "power_zero": (lambda a: a ** 0, array),
    "two_to_the": (lambda a: 2 ** a, array),
    "array_to_the": (lambda a: np.array([0.5, 1.5, 3.0, 2.0]) ** a, array),
    "to_array_power": (lambda a: a ** np.array([0.0, 1.0, 2.5, -1.0]), lambda rng, s: array(rng, s, 0.5, 2.0)),
    "reciprocal": (lambda a: 1.0 / a, away_from_zero),
    "const_minus": (lambda a: 1.5 - a, array),
    "transpose": (lambda a: a.T, array),
    "reshape": (lambda a: a.reshape(2, 6), array),
    "reshape_tuple": (lambda a: a.reshape((4, -1)), array),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=5, deadline=None)
@given(seed=seeds)
def test_unary_operations(name, seed):
    rng = np.random.default_rng(seed)
    f, draw = UNARY[name]
    shape = (4,) if name in ("array_to_the", "to_array_power") else (3, 4)
    check_gradients(f, [draw(rng, shape)], rng)


# ---- reductions: every axis subset, on equal sizes where matching by size fails --

def axis_forms(ndim):
    """Every subset of the axes, written as a tuple, with negative positions, and as an int."""
    forms = [None]
    for r in range(ndim + 1):
        for subset in itertools.combinations(range(ndim), r):
            forms.append(subset)
            forms.append(tuple(i - ndim for i in subset))
            if r == 1:
                forms.append(subset[0])
                forms.append(subset[0] - ndim)
    return forms


REDUCTION_SHAPES = [(3, 3, 2), (2, 2, 2, 2)]
REDUCTION_CASES = [(shape, axis) for shape in REDUCTION_SHAPES for axis in axis_forms(len(shape))]


@pytest.mark.parametrize("shape,axis", REDUCTION_CASES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
@settings(max_examples=2, deadline=None)
@given(seed=seeds)
def test_sum_and_mean_over_every_axis_subset(reduction, shape, axis, keepdims, seed):
    rng = np.random.default_rng(seed)
    x = array(rng, shape)
    expected = getattr(x, reduction)(axis=axis, keepdims=keepdims)
    out = getattr(Tensor(x), reduction)(axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.value, expected)
    check_gradients(lambda t: getattr(t, reduction)(axis=axis, keepdims=keepdims), [x], rng)


# ---- whole expressions ---------------------------------------------------------

@settings(max_examples=20, deadline=None)
@given(seed=seeds)
def test_a_small_network_with_shared_nodes(seed):
    """A layer whose output is used twice, broadcast biases, reductions and a loss-like end."""
    rng = np.random.default_rng(seed)
    X = array(rng, (5, 3))

    def network(W, b, v):
        h = tanh(X @ W + b)  # X is a constant
        return sigmoid((h * h + h) @ v).mean(axis=0) + h.sum(axis=-1, keepdims=True).T @ h

    check_gradients(network, [array(rng, (3, 4)), array(rng, (4,)), array(rng, (4, 4))], rng)
