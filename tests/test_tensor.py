"""Unit tests of Tensor: the API, hand-derived gradients, semantics, extreme and bad input."""

import math

import numpy as np
import pytest

import mlfz.nn.scalar as scalar
import mlfz.nn.tensor.functional as F
from mlfz.nn import Model
from mlfz.nn.tensor import Tensor
from mlfz.nn.tensor.loss import binary_cross_entropy, mean_squared_error
from mlfz.nn.tensor.optim import GradientDescent

# ---- the Tensor itself ------------------------------------------------------------


def test_value_is_a_float64_copy():
    data = np.array([[1, 2], [3, 4]])
    t = Tensor(data)
    assert type(t.value) is np.ndarray and t.value.dtype == np.float64
    data[0, 0] = 100
    assert t.value[0, 0] == 1.0  # the Tensor owns its numbers
    assert Tensor(2).value.shape == () and Tensor(2).value.dtype == np.float64
    u = Tensor(t)
    u.value[0, 0] = -1.0
    assert t.value[0, 0] == 1.0


def test_shape_ndim_len():
    t = Tensor(np.zeros((5, 2)))
    assert t.shape == (5, 2) and t.ndim == 2 and len(t) == 5
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(3.0))


def test_grad_and_its_read_only_alias():
    t = Tensor([1.0, 2.0])
    assert t.grad is None  # nothing computed yet
    (t * t).sum().backward()
    np.testing.assert_array_equal(t.grad, [2.0, 4.0])
    assert t.backwards_grad is t.grad
    with pytest.raises(AttributeError):
        t.backwards_grad = np.zeros(2)


def test_results_of_operations_are_float64_arrays_even_for_single_numbers():
    out = Tensor(2.0) * 3 + 1
    assert type(out.value) is np.ndarray and out.value.shape == ()
    out.backward()
    assert type(out.grad) is np.ndarray
    loss = binary_cross_entropy(Tensor([0.5]), [1.0])
    assert type(loss.value) is np.ndarray and loss.value.shape == ()


def test_repr():
    assert repr(Tensor([1.0, 2.5])) == "Tensor([1. , 2.5])"


# ---- constructors ----------------------------------------------------------------


def test_ones_and_zeros():
    for make, fill in ((Tensor.ones, 1.0), (Tensor.zeros, 0.0)):
        for t in (make(2, 3), make((2, 3))):
            assert t.shape == (2, 3) and np.all(t.value == fill)
        assert make().shape == ()
    like = Tensor(np.zeros((4, 1)))
    assert Tensor.ones_like(like).shape == (4, 1) and np.all(Tensor.ones_like(like).value == 1)
    assert Tensor.zeros_like(np.ones((2, 5))).shape == (2, 5) and np.all(Tensor.zeros_like(np.ones(3)).value == 0)


def test_from_random_respects_its_bounds_and_the_seed():
    np.random.seed(0)
    t = Tensor.from_random(100, 100, lower=-3, upper=-1)
    assert t.shape == (100, 100)
    assert t.value.min() >= -3 and t.value.max() < -1
    # 10,000 draws come close to both ends and spread over the range.
    assert t.value.min() < -2.99 and t.value.max() > -1.01
    assert abs(t.value.mean() + 2) < 0.05
    np.random.seed(0)
    np.testing.assert_array_equal(Tensor.from_random((100, 100), lower=-3, upper=-1).value, t.value)
    default = Tensor.from_random(1000)
    assert default.value.min() >= 0 and default.value.max() < 1
    like = Tensor.random_like(np.zeros((3, 2)), lower=5, upper=6)
    assert like.shape == (3, 2) and np.all((5 <= like.value) & (like.value < 6))


def test_constructors_reject_bad_arguments():
    with pytest.raises(ValueError, match="lower=2, upper=1"):
        Tensor.from_random(3, lower=2, upper=1)
    with pytest.raises(TypeError):
        Tensor.from_random(3, lower="a")
    with pytest.raises(TypeError, match="ints"):
        Tensor.ones(2.5)
    with pytest.raises(ValueError, match="negative"):
        Tensor.zeros(-1, 2)
    with pytest.raises(TypeError, match="Tensor or a NumPy array"):
        Tensor.ones_like([1, 2])


# ---- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["a", None, [[1, 2], [3]], [1, None], True, 1 + 2j, {"x": 1}])
def test_non_numbers_raise_a_type_error_naming_them(bad):
    with pytest.raises(TypeError, match="Tensor needs") as info:
        Tensor(bad)
    assert repr(bad)[:6] in str(info.value)


def test_nan_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        Tensor([1.0, float("nan")])


@pytest.mark.parametrize("left,right", [((3, 4), (2,)), ((3, 4), (4, 3)), ((2, 3), (3, 2, 1, 4))])
def test_shapes_that_do_not_broadcast_raise_naming_both(left, right):
    for a, b in [(Tensor(np.ones(left)), Tensor(np.ones(right))),
                 (Tensor(np.ones(left)), np.ones(right)),
                 (np.ones(left), Tensor(np.ones(right)))]:
        for op in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / b, lambda: a ** b):
            with pytest.raises(ValueError) as info:
                op()
            assert str(left) in str(info.value) and str(right) in str(info.value)


@pytest.mark.parametrize("left,right", [((3, 4), (3, 4)), ((4,), (3,)), ((2, 3, 4), (5, 2)), ((), (3,))])
def test_matmul_shape_mismatch_names_both_shapes(left, right):
    for a, b in [(Tensor(np.ones(left)), Tensor(np.ones(right))), (np.ones(left), Tensor(np.ones(right)))]:
        with pytest.raises(ValueError) as info:
            a @ b
        assert str(left) in str(info.value) and str(right) in str(info.value)


def test_unsupported_operands_raise_type_error():
    t = Tensor([1.0, 2.0])
    for bad in ("a", [1.0, 2.0], None, True, np.array(["a", "b"]), np.array([True, False])):
        with pytest.raises(TypeError):
            t + bad
        with pytest.raises(TypeError):
            bad * t


def test_reshape_to_a_wrong_size_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(5,\)"):
        Tensor(np.ones((3, 4))).reshape(5)


@pytest.mark.parametrize("axis,error", [(3, ValueError), (-4, ValueError), ((0, -3), ValueError),
                                        (1.0, TypeError), ("0", TypeError), (True, TypeError)])
def test_bad_axes(axis, error):
    with pytest.raises(error):
        Tensor(np.ones((3, 3, 2))).sum(axis=axis)


def test_mean_of_nothing_is_an_error_not_nan():
    with pytest.raises(ValueError, match="no numbers"):
        Tensor(np.ones((0, 3))).mean(axis=0)


def test_division_by_zero_raises():
    with pytest.raises(ZeroDivisionError):
        Tensor([1.0, 2.0]) / Tensor([1.0, 0.0])
    with pytest.raises(ZeroDivisionError):
        Tensor([1.0]) / 0
    with pytest.raises(ZeroDivisionError):
        1.0 / Tensor([0.0, 1.0])


def test_powers_that_are_not_real_or_not_finite_raise():
    with pytest.raises(ValueError, match="not real"):
        Tensor([-8.0, 8.0]) ** (1 / 3)
    with pytest.raises(ZeroDivisionError):
        Tensor([0.0, 1.0]) ** 0.5  # the slope is infinite at 0
    with pytest.raises(ZeroDivisionError):
        Tensor([0.0]) ** -1
    with pytest.raises(ValueError, match="log"):
        Tensor([-2.0]) ** Tensor([2.0])  # d/dn of (-2)^n is not real


def test_log_of_non_positive_numbers_names_them():
    with pytest.raises(ValueError, match=r"-1\.5"):
        F.log(Tensor([1.0, -1.5, 2.0]))
    with pytest.raises(ValueError, match=r"0\."):
        F.log(np.zeros(2))


def test_exp_overflow_is_an_error_naming_the_number():
    with pytest.raises(OverflowError, match="1000"):
        F.exp(Tensor([1.0, 1000.0]))
    assert np.isfinite(F.exp(Tensor([709.0])).value).all()


def test_functions_reject_non_numbers():
    with pytest.raises(TypeError, match="sigmoid"):
        F.sigmoid("a")


# ---- operators with arrays and numbers on either side -----------------------------


def test_arrays_and_numbers_on_either_side_give_tensors():
    t = Tensor([[1.0, 2.0], [3.0, 4.0]])
    m = np.array([[0.0, 1.0], [1.0, 0.0]])
    results = [t + m, m + t, t - 1, 1 - t, 2 * t, t * m, m / t, t / 2, 2 ** t, t ** 2, t @ m, m @ t,
               np.float64(2) * t, t * np.float32(2), t + np.array([1, 2])]
    assert all(type(r) is Tensor and r.value.dtype == np.float64 for r in results)
    np.testing.assert_array_equal((m @ t).value, m @ t.value)
    np.testing.assert_array_equal((1 - t).value, 1 - t.value)


def test_constants_are_not_nodes():
    """An array in an operation gets no gradient: only the Tensor is a parent."""
    X, W = np.ones((4, 2)), Tensor(np.ones((2, 3)))
    out = X @ W
    assert out._parents == (W,)
    out.sum().backward()
    np.testing.assert_array_equal(W.grad, X.T @ np.ones((4, 3)))


# ---- hand-derived gradients ---------------------------------------------------------


def test_bias_gradient_is_the_sum_over_the_broadcast_rows():
    x = np.arange(6.0).reshape(3, 2)
    b = Tensor([0.5, -1.0])
    weights = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    ((x + b) * weights).sum().backward()
    np.testing.assert_array_equal(b.grad, [9.0, 12.0])


def test_division_gradients_on_both_sides_by_hand():
    a, b = Tensor([6.0, 1.0]), Tensor([3.0, 4.0])
    (a / b).sum().backward()
    np.testing.assert_allclose(a.grad, [1 / 3, 1 / 4])
    np.testing.assert_allclose(b.grad, [-6 / 9, -1 / 16])
    c = Tensor([4.0])
    (2 / c).sum().backward()
    np.testing.assert_allclose(c.grad, [-2 / 16])


def test_sum_over_an_axis_whose_size_another_axis_shares():
    """Summing axis 1 of a (3, 3, 2) array: the gradient must spread along axis 1, not axis 0.

    The original mlfz found the summed axis by its size, and 3 fits axes 0 and 1.
    """
    x = Tensor(np.ones((3, 3, 2)))
    w = np.arange(6.0).reshape(3, 2)
    (x.sum(axis=1) * w).sum().backward()
    np.testing.assert_array_equal(x.grad, np.broadcast_to(w[:, None, :], (3, 3, 2)))
    (x.mean(axis=-3, keepdims=True) * w).sum().backward()
    np.testing.assert_allclose(x.grad, np.broadcast_to(w[None, :, :] / 3, (3, 3, 2)))


def test_matmul_gradients_by_hand():
    A, B = Tensor([[1.0, 2.0], [3.0, 4.0]]), Tensor([[5.0], [6.0]])
    G = np.array([[1.0], [-1.0]])
    ((A @ B) * G).sum().backward()
    np.testing.assert_array_equal(A.grad, G @ B.value.T)
    np.testing.assert_array_equal(B.grad, A.value.T @ G)


def test_power_at_zero():
    x = Tensor([0.0, 3.0])
    (x ** 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 6.0])
    (x ** 0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    n = Tensor([2.0, 2.0])
    (x ** n).sum().backward()
    np.testing.assert_allclose(n.grad, [0.0, 9.0 * math.log(3.0)])  # a^n log a -> 0 at a = 0


# ---- backward() semantics --------------------------------------------------------------


def test_backward_resets_the_graph_so_calling_it_twice_changes_nothing():
    x = Tensor([1.0, 2.0])
    y = (x * x * 3).sum()
    y.backward()
    first = x.grad.copy()
    y.backward()
    np.testing.assert_array_equal(x.grad, first)
    np.testing.assert_array_equal(first, [6.0, 12.0])


def test_each_loop_step_gets_that_steps_gradient():
    x = Tensor([1.0])
    for value in (1.0, 2.0, 5.0):
        x.value[...] = value
        (x * x).sum().backward()
        np.testing.assert_array_equal(x.grad, [2 * value])


def test_a_node_used_twice_accumulates_both_contributions():
    x = Tensor([2.0, -1.0])
    y = x * x  # used by both terms below
    (y * y + y).sum().backward()
    np.testing.assert_array_equal(x.grad, 4 * x.value ** 3 + 2 * x.value)
    np.testing.assert_array_equal(y.grad, 2 * y.value + 1)
    (x + x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_an_intermediate_result_used_twice_gets_both_contributions():
    x = Tensor([1.0, 2.0])
    h = x + 0.5  # an intermediate node that reaches the output by two paths
    (h * 2 + h * 3).sum().backward()
    np.testing.assert_array_equal(h.grad, [5.0, 5.0])
    np.testing.assert_array_equal(x.grad, [5.0, 5.0])


def test_leaf_gradients_are_independent_arrays():
    a, b = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
    (a + b).sum().backward()  # both get the same upstream gradient
    assert not np.shares_memory(a.grad, b.grad)
    a.grad *= 10
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    c = Tensor(np.ones((2, 3)))
    c.T.sum().backward()
    assert c.grad.flags.writeable and c.grad.base is None


def test_backward_of_a_non_scalar_output_is_the_gradient_of_its_sum():
    x = Tensor([1.0, 2.0, 3.0])
    (x * x).backward()
    np.testing.assert_array_equal(x.grad, 2 * x.value)


def test_a_chain_of_100_000_operations_backpropagates():
    x = Tensor([1.0, 2.0])
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1.00001 ** 100_000] * 2, rtol=1e-9)


# ---- extreme input -----------------------------------------------------------------


def test_sigmoid_and_bce_at_plus_minus_1e4_give_no_nan_and_no_warning():
    z = Tensor([-1e4, -50.0, 0.0, 50.0, 1e4])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        p = F.sigmoid(z)
        loss = binary_cross_entropy(p, y)
        loss.backward()
    assert np.all(np.isfinite(p.value)) and np.all((0 <= p.value) & (p.value <= 1))
    assert p.value[0] == 0.0 and p.value[-1] == 1.0 and p.value[2] == 0.5
    assert np.isfinite(loss.value) and np.all(np.isfinite(z.grad))
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        t = F.tanh(Tensor([-1e4, 1e4]))
        t.sum().backward()
    np.testing.assert_array_equal(t.value, [-1.0, 1.0])


def test_bce_is_finite_at_exactly_0_and_1():
    p = Tensor([0.0, 1.0, 0.0, 1.0])
    loss = binary_cross_entropy(p, [1.0, 0.0, 0.0, 1.0])
    loss.backward()
    # Two predictions are certain and wrong: each costs -log(1e-12).
    assert loss.value == pytest.approx(2 * -math.log(1e-12) / 4, rel=1e-6)
    assert np.all(np.isfinite(p.grad))


def test_bce_refuses_predictions_outside_0_1_and_nan():
    with pytest.raises(ValueError, match="1.5"):
        binary_cross_entropy(Tensor([0.5, 1.5]), [1.0, 0.0])
    with np.errstate(invalid="ignore"):
        nan = Tensor([np.inf]) - Tensor([np.inf])
    with pytest.raises(ValueError, match="nan"):
        binary_cross_entropy(nan, [1.0])


@pytest.mark.parametrize("loss", [mean_squared_error, binary_cross_entropy])
def test_losses_name_both_shapes_on_a_mismatch(loss):
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\)"):
        loss(Tensor(np.full((4, 1), 0.5)), np.ones(4))


def test_mse_where_predictions_equal_targets():
    p = Tensor([1.0, 2.0])
    loss = mean_squared_error(p, np.array([1.0, 2.0]))
    loss.backward()
    assert loss.value == 0.0
    np.testing.assert_array_equal(p.grad, [0.0, 0.0])


# ---- the same numbers as the Scalar engine ---------------------------------------


@pytest.mark.parametrize("name", ["sin", "cos", "exp", "log", "sigmoid", "relu", "tanh"])
def test_functions_agree_with_scalar(name):
    points = np.array([0.1, 0.7, 1.9, 3.0, 25.0]) if name == "log" else np.array([-30.0, -1.2, -0.3, 0.4, 2.0, 30.0])
    x = Tensor(points)
    out = getattr(F, name)(x)
    out.sum().backward()
    for i, point in enumerate(points):
        s = scalar.Scalar(point)
        s_out = getattr(scalar, name)(s)
        s_out.backward()
        assert out.value[i] == pytest.approx(s_out.value, rel=1e-12, abs=1e-300)
        assert x.grad[i] == pytest.approx(s.grad, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", ["mean_squared_error", "binary_cross_entropy"])
def test_losses_agree_with_scalar(name):
    preds = np.array([0.0, 0.2, 0.5, 0.9, 1.0])
    ys = np.array([1.0, 0.0, 1.0, 1.0, 1.0])
    p = Tensor(preds)
    loss = globals()[name](p, ys)
    loss.backward()
    scalar_preds = [scalar.Scalar(v) for v in preds]
    scalar_loss = getattr(scalar, name)(scalar_preds, list(ys))
    scalar_loss.backward()
    assert loss.value == pytest.approx(scalar_loss.value, rel=1e-12)
    np.testing.assert_allclose(p.grad, [s.grad for s in scalar_preds], rtol=1e-12)


# ---- models, optimizers and imports ------------------------------------------------


class LogisticRegression(Model):
    def __init__(self):
        self.w = Tensor.zeros(2, 1)
        self.b = Tensor.zeros(1)

    def forward(self, x):
        return F.sigmoid(x @ self.w + self.b)

    def parameters(self):
        return {"w": self.w, "b": self.b}


def blobs():
    from mlfz.datasets import make_blobs

    xs, ys = make_blobs(50, distance=2.0, seed=1)
    return np.array(xs), np.array(ys, dtype=np.float64).reshape(-1, 1)


def test_model_gradient_update_with_tensor_parameters():
    X, y = blobs()
    model = LogisticRegression()
    model.b.value[...] = 0.3
    loss = binary_cross_entropy(model(X), y)
    loss.backward()
    before = {name: value.copy() for name, value in model.parameter_values().items()}
    grads = {name: param.grad.copy() for name, param in model.parameters().items()}
    w_array = model.w.value
    model.gradient_update(0.5)
    for name, param in model.parameters().items():
        np.testing.assert_array_equal(param.value, before[name] - 0.5 * grads[name])
    assert model.w.value is w_array  # updated in place
    assert binary_cross_entropy(model(X), y).value < loss.value


def test_model_parameter_copies_and_loading_with_tensors():
    model = LogisticRegression()
    values = model.parameter_values()
    copies = model.copy_parameters()
    model.w.value += 1.0
    assert np.all(values["w"] == 0.0) and np.all(copies["w"].value == 0.0)
    model.load_parameters({"w": np.full((2, 1), 7.0), "b": Tensor([2.0])})
    assert np.all(model.w.value == 7.0) and model.b.value[0] == 2.0
    with pytest.raises(ValueError, match="shape"):
        model.load_parameters({"w": np.ones(3)})


def test_gradient_descent_trains_a_tensor_model():
    X, y = blobs()
    model = LogisticRegression()
    losses = GradientDescent(model, binary_cross_entropy).run(X, y, lr=1.0, n_steps=50)
    assert len(losses) == 50 and all(isinstance(v, float) for v in losses)
    assert losses[-1] < 0.5 * losses[0]
    accuracy = np.mean((model(X).value > 0.5) == (y == 1))
    assert accuracy > 0.9


def test_star_imports_never_mix_the_engines():
    namespace = {}
    exec("from mlfz.nn.scalar import *\nfrom mlfz.nn.tensor import *", namespace)
    assert namespace["sigmoid"] is scalar.sigmoid
    assert namespace["binary_cross_entropy"] is scalar.binary_cross_entropy
    assert namespace["Tensor"] is Tensor

    tensor_names = {}
    exec("from mlfz.nn.tensor import *", tensor_names)
    assert set(tensor_names) - {"__builtins__"} == {"Tensor"}

    nn_names = {}
    exec("from mlfz.nn import *", nn_names)
    assert "Model" in nn_names
    assert not {"Tensor", "Scalar", "sigmoid", "tanh", "binary_cross_entropy"} & set(nn_names)


def test_tensor_functions_and_losses_import_from_their_modules():
    from mlfz.nn.tensor.functional import sigmoid
    from mlfz.nn.tensor.loss import binary_cross_entropy as bce

    assert sigmoid is F.sigmoid and sigmoid is not scalar.sigmoid
    assert bce is binary_cross_entropy and bce is not scalar.binary_cross_entropy
    import mlfz.nn.tensor as package
    import mlfz.nn.tensor.core as core
    import mlfz.nn.tensor.loss as loss
    import mlfz.nn.tensor.optim as optim

    for module in (package, core, F, loss, optim):
        assert module.__doc__ and module.__all__


def test_gradient_update_leaves_a_parameter_the_loss_did_not_use():
    X, y = blobs()
    model = LogisticRegression()
    unused = Tensor([1.0, 2.0])
    model.parameters = lambda: {"w": model.w, "b": model.b, "unused": unused}
    binary_cross_entropy(model(X), y).backward()
    assert unused.grad is None
    model.gradient_update(0.5)
    np.testing.assert_array_equal(unused.value, [1.0, 2.0])


def test_nan_and_inf_constants_are_refused_and_nan_data_stops_at_the_loss():
    t = Tensor([1.0, 2.0])
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="constants must be finite"):
            t * bad
        with pytest.raises(ValueError, match="constants must be finite"):
            bad + t
    # Arrays are not scanned at every operation; the loss refuses what they carry.
    X = np.array([[np.nan, 1.0], [0.5, 0.5]])
    W = Tensor([[1.0], [2.0]])
    with pytest.raises(ValueError, match="nan"):
        binary_cross_entropy(F.sigmoid(X @ W), np.array([[1.0], [0.0]]))
    with pytest.raises(ValueError, match="must be finite numbers"):
        mean_squared_error(X @ W, np.array([[1.0], [0.0]]))


def test_losses_refuse_non_finite_labels_and_bce_labels_outside_zero_one():
    preds = Tensor([[0.5], [0.25]])
    with pytest.raises(ValueError, match="must be finite numbers"):
        mean_squared_error(preds, np.array([[np.nan], [1.0]]))
    with pytest.raises(ValueError, match="labels in \\[0, 1\\], got \\[2.\\]"):
        binary_cross_entropy(preds, np.array([[2.0], [1.0]]))
    with pytest.raises(ValueError, match="labels in \\[0, 1\\], got \\[nan\\]"):
        binary_cross_entropy(preds, np.array([[np.nan], [1.0]]))


def test_parents_and_backward_functions_can_be_read_as_tuples():
    a = Tensor([[1.0, 2.0], [3.0, 4.0]])
    c = a * a
    assert c._parents == (a, a) and len(c._grad_fns) == 2
    np.testing.assert_array_equal(c._grad_fns[0](np.ones((2, 2))), a.value)
    d = -a
    assert d._parents == (a,) and len(d._grad_fns) == 1
    assert a._parents == () and a._grad_fns == ()
