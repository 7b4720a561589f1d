"""Property tests: backprop through random Scalar graphs agrees with central differences."""

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mlfz.nn.scalar import Scalar, cos, exp, log, relu, sigmoid, sin, tanh

# (name, function of a list of inputs, input domain) for every operation.
UNARY = {
    "neg": lambda a: -a,
    "sin": sin,
    "cos": cos,
    "exp": exp,
    "log": log,
    "sigmoid": sigmoid,
    "relu": relu,
    "tanh": tanh,
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "sqrt": lambda a: a**0.5,
    "two_to_the": lambda a: 2**a,
    "reciprocal": lambda a: 1 / a,
    "plus_const": lambda a: a + 1.5,
    "const_minus": lambda a: 1.5 - a,
    "times_const": lambda a: a * -2.5,
    "over_const": lambda a: a / 4.0,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
}


def numeric_gradient(f, values, eps=1e-6):
    """Central differences of f (a function of floats) at `values`."""
    grads = []
    for i in range(len(values)):
        up, down = list(values), list(values)
        up[i] += eps
        down[i] -= eps
        grads.append((f(*up) - f(*down)) / (2 * eps))
    return grads


def close(a, b, rel=1e-4, abs_=1e-5):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def value_of(f):
    """f on floats, through Scalars, returning a float."""
    return lambda *xs: f(*[Scalar(x) for x in xs]).value


def assert_backprop_matches(f, values):
    inputs = [Scalar(v) for v in values]
    out = f(*inputs)
    out.backward()
    expected = numeric_gradient(value_of(f), values)
    for x, g in zip(inputs, expected):
        assert close(x.grad, g), (values, x.grad, g)


# Keep inputs where every operation is smooth and well conditioned:
# positive (for log, sqrt and pow) and away from relu's kink.
positive = st.floats(0.3, 3.0)


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(UNARY)), a=positive)
def test_every_unary_operation(name, a):
    assert_backprop_matches(UNARY[name], [a])


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(BINARY)), a=positive, b=positive)
def test_every_binary_operation(name, a, b):
    assert_backprop_matches(BINARY[name], [a, b])


# Versions of the operations that are smooth on any input, so that random
# graphs can use every one of them: log, sqrt and pow get a positive input,
# division a denominator away from 0, exp a bounded exponent, and relu an
# input away from its kink at 0.
SAFE_UNARY = {
    **{name: UNARY[name] for name in ["neg", "sin", "cos", "sigmoid", "tanh", "square", "cube",
                                      "plus_const", "const_minus", "times_const", "over_const"]},
    "exp": lambda a: exp(tanh(a)),
    "log": lambda a: log(a * a + 0.5),
    "sqrt": lambda a: (a * a + 0.5) ** 0.5,
    "two_to_the": lambda a: 2 ** tanh(a),
    "reciprocal": lambda a: 1 / (a * a + 0.5),
    "relu": lambda a: relu(sigmoid(a) + 0.25) - relu(sigmoid(a) - 2.0),
}
SAFE_BINARY = {
    "add": BINARY["add"],
    "sub": BINARY["sub"],
    "mul": BINARY["mul"],
    "div": lambda a, b: a / (b * b + 0.5),
    "pow": lambda a, b: (a * a + 0.5) ** tanh(b),
}


@st.composite
def random_expression(draw):
    """A random graph over three inputs: each step applies one operation to
    earlier nodes, so nodes are shared between later ones."""
    steps = draw(st.lists(
        st.one_of(
            st.tuples(st.just("unary"), st.sampled_from(sorted(SAFE_UNARY))),
            st.tuples(st.just("binary"), st.sampled_from(sorted(SAFE_BINARY))),
        ),
        min_size=1, max_size=12,
    ))
    picks = draw(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=len(steps), max_size=len(steps)))

    def build(*inputs):
        nodes = list(inputs)
        for (kind, name), (i, j) in zip(steps, picks):
            a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
            nodes.append(SAFE_UNARY[name](a) if kind == "unary" else SAFE_BINARY[name](a, b))
        # Combine several nodes so that more than the last step matters.
        return nodes[-1] + nodes[-2] * nodes[len(nodes) // 2]

    return build


@settings(max_examples=100, deadline=None)
@given(f=random_expression(), values=st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
def test_random_graphs_match_central_differences(f, values):
    assert_backprop_matches(f, values)


@settings(max_examples=30, deadline=None)
@given(a=st.floats(-3, 3), b=st.floats(-3, 3))
def test_relu_away_from_kink(a, b):
    assume(abs(a * b) > 1e-3)
    assert_backprop_matches(lambda x, y: relu(x * y), [a, b])
