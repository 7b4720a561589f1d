"""Unit tests of Scalar: hand-derived gradients, semantics, edge cases and bad input."""

import math
import sys

import numpy as np
import pytest

from test_seed_api import ZeroLayerNetwork
from mlfz.nn.scalar import (
    GradientDescent, Scalar, binary_cross_entropy, cos, exp, log, mean_squared_error,
    relu, sigmoid, sin, tanh,
)


# ---- hand-derived gradients -----------------------------------------------

def test_product_rule_by_hand():
    a, b = Scalar(3.0), Scalar(-2.0)
    out = a * b + a
    out.backward()
    assert out.value == -3.0
    assert a.grad == -2.0 + 1.0  # d/da (ab + a) = b + 1
    assert b.grad == 3.0  # d/db (ab + a) = a


def test_shared_subexpression_accumulates_both_paths():
    x = Scalar(2.0)
    y = x * x  # used twice below
    out = y * y + y  # x^4 + x^2
    out.backward()
    assert out.value == 20.0
    assert x.grad == 4 * 2.0**3 + 2 * 2.0  # 36
    assert y.grad == 2 * 4.0 + 1  # d/dy (y^2 + y) = 2y + 1


def test_node_used_as_both_operands():
    x = Scalar(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    (x + x).backward()
    assert x.grad == 2.0


def test_division_gradients_by_hand():
    a, b = Scalar(6.0), Scalar(3.0)
    (a / b).backward()
    assert a.grad == pytest.approx(1 / 3)
    assert b.grad == pytest.approx(-6 / 9)
    c = Scalar(4.0)
    (2 / c).backward()
    assert c.grad == pytest.approx(-2 / 16)


def test_functions_by_hand():
    x = Scalar(0.5)
    for f, derivative in [
        (sin, math.cos(0.5)), (cos, -math.sin(0.5)), (exp, math.exp(0.5)), (log, 2.0),
        (tanh, 1 - math.tanh(0.5) ** 2), (relu, 1.0),
        (sigmoid, (1 / (1 + math.exp(-0.5))) * (1 - 1 / (1 + math.exp(-0.5)))),
    ]:
        f(x).backward()
        assert x.grad == pytest.approx(derivative), f.__name__
    negative = Scalar(-1.0)
    relu(negative).backward()
    assert negative.grad == 0.0


def test_numbers_on_either_side():
    x = Scalar(2.0)
    assert (1 + x).value == 3.0 and (x + 1).value == 3.0
    assert (1 - x).value == -1.0 and (x - 1).value == 1.0
    assert (3 * x).value == 6.0 and (x * 3).value == 6.0
    assert (1 / x).value == 0.5 and (x / 4).value == 0.5
    assert (2**x).value == 4.0 and (x**2).value == 4.0
    assert (-x).value == -2.0
    assert (np.float64(2.0) * x).value == 4.0  # NumPy scalars defer to Scalar
    assert (x * np.int64(3)).value == 6.0


def test_adding_zero_adds_no_node():
    x = Scalar(1.0)
    assert x + 0 is x and 0 + x is x
    assert sum([x]) is x


# ---- backward semantics -----------------------------------------------------

def test_backward_resets_gradients_so_repeated_calls_agree():
    x = Scalar(1.5)
    y = sin(x) * x
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first


def test_training_loop_without_zero_grad_gets_each_steps_gradient():
    w = Scalar(1.0)
    for _ in range(3):
        loss = (w * 2.0 - 4.0) ** 2
        loss.backward()
        expected = 2 * (w.value * 2 - 4) * 2
        assert w.grad == pytest.approx(expected)
        w.value -= 0.1 * w.grad


def test_backwards_grad_is_a_read_only_alias():
    x = Scalar(2.0)
    (x * x).backward()
    assert x.backwards_grad == x.grad == 4.0
    with pytest.raises(AttributeError):
        x.backwards_grad = 1.0


def test_value_is_a_float_and_from_random_respects_bounds():
    assert type(Scalar(1).value) is float
    for _ in range(200):
        r = Scalar.from_random(-2, -1).value
        assert -2 <= r < -1 or r == -1  # random.uniform may return the upper bound


# ---- the original mlfz's crashes --------------------------------------------

def test_zero_squared():
    x = Scalar(0.0)
    y = x**2
    y.backward()
    assert y.value == 0.0 and x.grad == 0.0


def test_mse_with_a_perfect_prediction():
    p = Scalar(1.0)
    loss = mean_squared_error([p, Scalar(3.0)], [1.0, 1.0])
    loss.backward()
    assert loss.value == 2.0
    assert p.grad == 0.0


def test_mse_by_hand():
    a, b = Scalar(2.0), Scalar(-1.0)
    loss = mean_squared_error([a, b], [1.0, 1.0])
    loss.backward()
    assert loss.value == (1 + 4) / 2
    assert a.grad == 2 * 1 / 2 and b.grad == 2 * -2 / 2


def test_bce_by_hand():
    p = Scalar(0.8)
    loss = binary_cross_entropy([p], [1])
    loss.backward()
    assert loss.value == pytest.approx(-math.log(0.8))
    assert p.grad == pytest.approx(-1 / 0.8)


# ---- robustness: deep graphs and extreme values ---------------------------

def test_backward_on_a_chain_200000_deep():
    x = Scalar(1.0)
    y = x
    for _ in range(200_000):
        y = y * 1.0 + 0.5
    y.backward()
    assert x.grad == 1.0
    assert y.value == 100_001.0


def test_backward_on_sum_of_20000_scalars():
    xs = [Scalar(float(i)) for i in range(20_000)]
    total = sum(xs)
    total.backward()
    assert total.value == sum(range(20_000))
    assert all(x.grad == 1.0 for x in xs)


def test_backward_works_under_a_tiny_recursion_limit():
    x = Scalar(0.0)
    y = x
    for _ in range(5000):
        y = tanh(y + 0.001)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)  # a recursive sort would die here
    try:
        y.backward()
    finally:
        sys.setrecursionlimit(limit)
    assert 0 < x.grad <= 1


@pytest.mark.parametrize("big", [1e6, -1e6, 1e300, -1e300])
def test_sigmoid_and_tanh_saturate_without_overflow(big):
    for f in (sigmoid, tanh):
        x = Scalar(big)
        y = f(x)
        y.backward()
        assert math.isfinite(y.value) and math.isfinite(x.grad)
    assert sigmoid(Scalar(big)).value == (1.0 if big > 0 else 0.0)


@pytest.mark.parametrize("p, y", [(0.0, 1), (1.0, 0), (0.0, 0), (1.0, 1)])
def test_bce_is_finite_at_exactly_zero_and_one(p, y):
    pred = Scalar(p)
    loss = binary_cross_entropy([pred], [y])
    loss.backward()
    assert math.isfinite(loss.value) and math.isfinite(pred.grad)
    if p != y:
        assert loss.value > 20  # a confident wrong answer is expensive
        assert (pred.grad > 0) == (p > y)  # and the gradient points the right way


def test_bce_through_a_saturated_sigmoid_is_finite():
    z = Scalar(800.0)
    loss = binary_cross_entropy([sigmoid(z)], [0])
    loss.backward()
    assert math.isfinite(loss.value) and math.isfinite(z.grad)


def test_exp_overflow_is_a_clear_error():
    assert exp(Scalar(709.0)).value == pytest.approx(math.exp(709.0))
    with pytest.raises(OverflowError, match="exp\\(710.0\\)"):
        exp(Scalar(710.0))


def test_power_overflow_is_a_clear_error():
    with pytest.raises(OverflowError, match="10.0 \\*\\* 400.0"):
        Scalar(10.0) ** 400


# ---- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("bad", ["a", None, [1, 2], {1: 2}, True])
def test_scalar_rejects_non_numbers_naming_them(bad):
    with pytest.raises(TypeError, match=repr(bad).replace("[", "\\[").replace("]", "\\]").replace("{", "\\{").replace("}", "\\}")):
        Scalar(bad)


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_log_of_non_positive_names_function_and_value(bad):
    with pytest.raises(ValueError, match=f"log\\({bad}\\)"):
        log(Scalar(bad))


def test_operators_reject_strings():
    with pytest.raises(TypeError):
        Scalar(1.0) + "a"
    with pytest.raises(TypeError):
        "a" * Scalar(1.0)


def test_functions_reject_non_numbers_naming_them():
    with pytest.raises(TypeError, match="sigmoid.*'x'"):
        sigmoid("x")


def test_division_by_zero_names_the_operands():
    with pytest.raises(ZeroDivisionError, match="Scalar\\(1.0\\) / Scalar\\(0.0\\)"):
        Scalar(1.0) / Scalar(0.0)
    with pytest.raises(ZeroDivisionError):
        2 / Scalar(0.0)


def test_negative_base_with_fractional_power():
    with pytest.raises(ValueError, match="not a real number"):
        Scalar(-8.0) ** 0.5


def test_losses_reject_mismatched_lengths_and_bad_probabilities():
    with pytest.raises(ValueError, match="2 predictions but 3 labels"):
        mean_squared_error([Scalar(1), Scalar(2)], [1, 2, 3])
    with pytest.raises(ValueError, match="no predictions"):
        binary_cross_entropy([], [])
    with pytest.raises(ValueError, match="1.5"):
        binary_cross_entropy([Scalar(1.5)], [1])


# ---- the seed chapter's API ----------------------------------------------

def test_seed_logistic_regression_learns():
    xs = [(-5.0, 0.5), (-4.0, -1.0), (5.0, 1.0), (4.5, -0.5)]
    ys = [1, 1, 0, 0]
    model = ZeroLayerNetwork()
    losses = []
    for _ in range(100):
        loss = binary_cross_entropy([model(x) for x in xs], ys)
        loss.backward()
        model.gradient_update(0.1)
        losses.append(loss.value)
    assert losses[-1] < 0.05 < losses[0]
    assert all(round(model(x).value) == y for x, y in zip(xs, ys))


def test_gradient_descent_run_matches_a_hand_written_loop():
    xs = [(-5.0, 0.5), (5.0, 1.0)]
    ys = [1, 0]
    by_hand, by_optimizer = ZeroLayerNetwork(), ZeroLayerNetwork()
    for _ in range(5):
        loss = binary_cross_entropy([by_hand(x) for x in xs], ys)
        loss.backward()
        by_hand.gradient_update(0.1)
    GradientDescent(by_optimizer, binary_cross_entropy).run(xs, ys, lr=0.1, n_steps=5)
    assert by_optimizer.parameter_values() == by_hand.parameter_values()


def test_losses_reject_infinite_and_nan_inputs_naming_them():
    overflowed = Scalar(1e308) * 10.0  # float arithmetic overflows to inf silently
    with pytest.raises(ValueError, match="prediction 1 is inf"):
        mean_squared_error([Scalar(1.0), overflowed], [1.0, 1.0])
    with pytest.raises(ValueError, match="label nan"):
        mean_squared_error([Scalar(1.0)], [float("nan")])
    with pytest.raises(ValueError, match="prediction 0 is -inf"):
        binary_cross_entropy([-overflowed], [1])


def test_local_derivatives_are_floats_even_for_int_constants():
    x = Scalar(2.0)
    assert (3 * x)._local_grads == (3.0,) and type((3 * x)._local_grads[0]) is float
    assert type((x / 2)._local_grads[0]) is float


def test_zero_to_the_zero_is_one_with_zero_derivatives():
    x = Scalar(0.0)
    y = x**0
    y.backward()
    assert y.value == 1.0 and x.grad == 0.0
    n = Scalar(0.0)
    z = Scalar(0.0) ** n
    z.backward()
    assert z.value == 1.0 and n.grad == 0.0


def test_powers_at_zero_name_what_is_infinite():
    with pytest.raises(ZeroDivisionError, match="0.0 \\*\\* -1.0 is infinite"):
        Scalar(0.0) ** -1
    with pytest.raises(ZeroDivisionError, match="0.0 \\*\\* -1.0 is infinite"):
        Scalar(0.0) ** Scalar(-1.0)
    with pytest.raises(ZeroDivisionError, match="derivative of x \\*\\* 0.5 is infinite"):
        Scalar(0.0) ** 0.5


def test_scalar_exponent_rules_by_hand():
    a, n = Scalar(2.0), Scalar(3.0)
    (a**n).backward()
    assert a.grad == 12.0  # n a^(n-1)
    assert n.grad == pytest.approx(8.0 * math.log(2.0))  # a^n log a
    with pytest.raises(ValueError, match="negative base -2.0"):
        Scalar(-2.0) ** Scalar(2.0)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_inf_are_refused_as_values_and_constants(bad):
    with pytest.raises(ValueError, match="finite"):
        Scalar(bad)
    x = Scalar(1.0)
    for operation in (lambda: x * bad, lambda: bad * x, lambda: x + bad, lambda: x - bad,
                      lambda: bad - x, lambda: x / bad, lambda: bad / x, lambda: x**bad):
        with pytest.raises(ValueError, match="constant"):
            operation()


def test_from_random_checks_its_bounds():
    with pytest.raises(ValueError, match="lower must be less than upper"):
        Scalar.from_random(1, 0)
    with pytest.raises(TypeError, match="'a'"):
        Scalar.from_random("a", 1)


def test_bce_refuses_labels_outside_zero_one():
    with pytest.raises(ValueError, match="labels in \\[0, 1\\], got 2.0"):
        binary_cross_entropy([Scalar(0.5)], [2.0])
