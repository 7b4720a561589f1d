"""gradcheck: backprop against central differences, and catching a wrong derivative."""

import math

import numpy as np
import pytest

import mlfz.nn.scalar
from mlfz.nn.scalar import Scalar, binary_cross_entropy, cos, exp, gradcheck, log, relu, sigmoid, sin, tanh
from mlfz.nn.scalar.core import _node


def test_gradcheck_imports_from_the_scalar_engine_and_mlfz_nn():
    import mlfz.nn
    assert "gradcheck" in mlfz.nn.scalar.__all__
    assert mlfz.nn.gradcheck is mlfz.nn.scalar.gradcheck


def every_operation(a, b, c):
    return (
        sin(a) * cos(b) + exp(c) / (a + 2) - log(b) ** 2 + tanh(a * c) - sigmoid(b - c)
        + relu(c) * a - 3 / b + 2 ** a + a ** b
    )


def test_correct_gradients_pass():
    inputs = [Scalar(0.7), Scalar(1.3), Scalar(-0.4)]
    result = gradcheck(every_operation, inputs)
    assert result.passed
    assert result.max_error < 1e-7
    assert result.worst_input in (0, 1, 2)
    assert result.worst_element == ()


def test_loss_gradients_pass():
    preds = [Scalar(0.2), Scalar(0.9), Scalar(0.6)]
    result = gradcheck(lambda *ps: binary_cross_entropy(list(ps), [0, 1, 0]), preds)
    assert result.passed, result


def test_the_result_reports_the_place_it_names():
    a, b = Scalar(2.0), Scalar(3.0)
    result = gradcheck(lambda a, b: a * a * b, [a, b])
    expected = [2 * 2.0 * 3.0, 2.0 ** 2]  # d/da a²b = 2ab, d/db = a²
    assert result.backprop == expected[result.worst_input]
    assert result.numerical == pytest.approx(expected[result.worst_input], rel=1e-8)
    assert a.grad == expected[0] and b.grad == expected[1]  # grads hold the backprop gradients


def test_an_injected_wrong_derivative_in_the_engine_is_found(monkeypatch):
    # Corrupt d(a + b)/db in the engine's `+`, as a typo there would.
    correct_add = Scalar.__add__

    def add_with_a_typo(a, b):
        out = correct_add(a, b)
        if type(b) is Scalar:
            out._local_grad2 = 0.5
        return out

    monkeypatch.setattr(Scalar, "__add__", add_with_a_typo)
    x, y = Scalar(1.5), Scalar(-1.2)
    result = gradcheck(lambda x, y: exp(x) * (x + y), [x, y])
    assert not result.passed
    assert result.worst_input == 1  # y is the input whose gradient is wrong
    assert result.backprop == pytest.approx(0.5 * math.exp(1.5))
    assert result.numerical == pytest.approx(math.exp(1.5), rel=1e-8)
    assert result.max_error == pytest.approx(0.5, rel=1e-6)  # half the true gradient is missing


def wrong_square(x):
    """x² recording 1·x instead of 2·x as its local derivative."""
    return _node(x.value ** 2, x, x.value)


def test_a_function_with_a_wrong_local_derivative_is_found():
    a, b = Scalar(3.0), Scalar(0.5)
    good = gradcheck(lambda a, b: a ** 2 * b, [a, b])
    bad = gradcheck(lambda a, b: wrong_square(a) * b, [a, b])
    assert good.passed and not bad.passed
    assert bad.worst_input == 0
    # backprop says 3 * 0.5, the truth is 6 * 0.5: relative error 1.5 / 3
    assert bad.max_error == pytest.approx(0.5, rel=1e-6)


def test_a_nan_derivative_fails_instead_of_passing():
    x = Scalar(1.0)
    result = gradcheck(lambda x: _node(x.value, x, math.nan), [x])
    assert not result.passed
    assert result.max_error == math.inf


def test_small_gradients_are_compared_absolutely():
    # At x = 1e-3, x³ has gradient 3e-6; finite differences have errors near 1e-10 there,
    # which would be a large relative error of a tiny gradient.
    result = gradcheck(lambda x: x ** 3, [Scalar(1e-3)])
    assert result.passed


def test_an_input_f_does_not_use_gets_a_zero_gradient():
    used, unused = Scalar(2.0), Scalar(5.0)
    unused.grad = 99.0  # stale, from some earlier backward pass
    result = gradcheck(lambda u, v: u * u, [used, unused])
    assert result.passed
    assert unused.grad == 0.0


def test_values_are_restored_exactly_even_when_f_fails():
    x = Scalar(0.1)
    calls = []

    def fails_on_the_second_call(x):
        calls.append(x.value)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return x * 3

    with pytest.raises(RuntimeError, match="boom"):
        gradcheck(fails_on_the_second_call, [x])
    assert calls[1] != 0.1  # the failing call saw a nudged value
    assert x.value == 0.1  # and it was put back, bit for bit


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="got no inputs"):
        gradcheck(lambda: Scalar(1.0), [])
    with pytest.raises(TypeError, match=r"input 1 has no .value and .grad: 2.0"):
        gradcheck(lambda a, b: a, [Scalar(1.0), 2.0])
    with pytest.raises(ValueError, match="eps must be positive, got 0"):
        gradcheck(lambda a: a, [Scalar(1.0)], eps=0)
    with pytest.raises(TypeError, match="f must return a Scalar or a Tensor, got 1.0"):
        gradcheck(lambda a: a.value, [Scalar(1.0)])


# ---- Tensors, element by element ------------------------------------------------

def test_tensor_gradients_pass_element_by_element():
    tensor = pytest.importorskip("mlfz.nn.tensor")
    from mlfz.nn.tensor.functional import tanh as tensor_tanh

    rng = np.random.default_rng(0)
    X, weights = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    W, b = tensor.Tensor(rng.normal(size=(3, 2))), tensor.Tensor(rng.normal(size=(2,)))
    W_before = W.value.copy()
    result = gradcheck(lambda W, b: (tensor_tanh(X @ W + b) * weights).sum(), [W, b])
    assert result.passed, result
    assert len(result.worst_element) == (2 if result.worst_input == 0 else 1)
    np.testing.assert_array_equal(W.value, W_before)


def test_a_wrong_tensor_derivative_is_found_at_its_element():
    tensor = pytest.importorskip("mlfz.nn.tensor")
    from mlfz.nn.tensor.core import _node as tensor_node

    def wrong_square(x):
        """x² elementwise, passing back g·x instead of g·2x."""
        return tensor_node(x.value ** 2, (x,), (lambda g: g * x.value,))

    x = tensor.Tensor([[0.1, -0.3], [0.2, 0.05]])
    result = gradcheck(lambda x: wrong_square(x).sum(), [x])
    assert not result.passed
    # The error at each element is |x - 2x| / 1, largest where |x| is.
    assert result.worst_input == 0 and result.worst_element == (0, 1)
    assert result.max_error == pytest.approx(0.3, rel=1e-6)


def test_empty_inputs_are_a_clear_error():
    from mlfz.nn.tensor import Tensor

    with pytest.raises(ValueError, match="every input is empty"):
        gradcheck(lambda t: t.sum(), [Tensor(np.zeros(0))])
