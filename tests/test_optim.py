"""The optimizers, the shared training loop and the progress display."""

import gc
import io
import math

import numpy as np
import pytest

from example_models import Line, TwoFourOne, line_data, tensor_linear
from mlfz.nn import LossPrinter
from mlfz.nn.optim import Adam, GradientDescent, Momentum, Optimizer, train
from mlfz.nn.scalar import GradientDescent as ScalarGradientDescent
from mlfz.nn.scalar import Scalar, binary_cross_entropy, mean_squared_error


def set_grads(model, grads):
    for name, grad in grads.items():
        model.parameters()[name].grad = grad


# ---- hand-computed steps ---------------------------------------------------

def test_gradient_descent_step_by_hand():
    model = Line(a=3.0, b=-1.0)
    set_grads(model, {"a": 2.0, "b": -4.0})
    GradientDescent(model, lr=0.25).step()
    assert model.parameter_values() == {"a": 3.0 - 0.25 * 2.0, "b": -1.0 + 0.25 * 4.0}


def test_momentum_two_steps_by_hand():
    model = Line(a=3.0, b=0.0)
    opt = Momentum(model, lr=0.5, momentum=0.5)
    set_grads(model, {"a": 1.0, "b": 0.0})
    opt.step()
    # velocity = 0.5 * 0 + 1 = 1; a = 3 - 0.5 * 1
    assert model.a.value == 2.5
    set_grads(model, {"a": 2.0, "b": 0.0})
    opt.step()
    # velocity = 0.5 * 1 + 2 = 2.5; a = 2.5 - 0.5 * 2.5
    assert model.a.value == 1.25


def test_adam_first_step_by_hand():
    model = Line(a=1.0, b=1.0)
    opt = Adam(model, lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    set_grads(model, {"a": 0.5, "b": -3.0})
    opt.step()
    # a: m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025; bias-corrected m_hat = 0.5, v_hat = 0.25
    assert model.a.value == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-15, abs=1e-15)
    # b: m_hat = -3, v_hat = 9: the first step is -lr * sign(grad), whatever the gradient's size
    assert model.b.value == pytest.approx(1.0 + 0.1 * 3.0 / (3.0 + 1e-8), rel=1e-15, abs=1e-15)


def test_adam_second_step_by_hand():
    model = Line(a=0.0, b=0.0)
    opt = Adam(model, lr=0.01)
    set_grads(model, {"a": 1.0, "b": 0.0})
    opt.step()
    set_grads(model, {"a": 3.0, "b": 0.0})
    opt.step()
    m = 0.9 * (0.1 * 1.0) + 0.1 * 3.0  # 0.39
    v = 0.999 * (0.001 * 1.0) + 0.001 * 9.0  # 0.009999
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    first = -0.01 * 1.0 / (1.0 + 1e-8)
    assert model.a.value == pytest.approx(first - 0.01 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)
    # b's gradient was 0 both times: it has not moved
    assert model.b.value == 0.0


def test_state_is_kept_per_parameter_name():
    model = Line()
    opt = Momentum(model, lr=0.1)
    set_grads(model, {"a": 1.0, "b": -2.0})
    opt.step()
    assert opt.state == {"a": 1.0, "b": -2.0}


# ---- learning a convex problem ---------------------------------------------

@pytest.mark.parametrize("make_optimizer", [
    lambda model: GradientDescent(model, lr=0.1),
    lambda model: Momentum(model, lr=0.05, momentum=0.9),
    lambda model: Adam(model, lr=0.1),
], ids=["GradientDescent", "Momentum", "Adam"])
def test_optimizers_solve_a_convex_problem(make_optimizer):
    xs, ys = line_data()
    model = Line()
    losses = train(model, mean_squared_error, make_optimizer(model), xs, ys, n_steps=300)
    assert len(losses) == 300
    assert losses[0] == pytest.approx(mean_squared_error([0.0] * len(ys), ys).value)
    assert losses[-1] < 1e-4 * losses[0]
    assert model.a.value == pytest.approx(2.0, abs=1e-2)
    assert model.b.value == pytest.approx(-1.0, abs=1e-2)


def test_momentum_beats_gradient_descent_on_a_slow_valley():
    # Inputs away from 0 make the loss a long narrow valley (curvatures about 11 and 0.24):
    # plain steps small enough for the steep side crawl along the flat one.
    xs = [1.0, 2.0, 3.0]
    ys = [2.0 * x - 1.0 for x in xs]
    plain, heavy = Line(), Line()
    plain_losses = train(plain, mean_squared_error, GradientDescent(plain, lr=0.05), xs, ys, n_steps=200)
    heavy_losses = train(heavy, mean_squared_error, Momentum(heavy, lr=0.05, momentum=0.9), xs, ys, n_steps=200)
    assert plain_losses[-1] > 1e-3
    assert heavy_losses[-1] < plain_losses[-1] / 1000


def test_an_optimizer_accepts_a_parameter_dict():
    a = Scalar(2.0)
    opt = GradientDescent({"a": a}, lr=0.5)
    for _ in range(20):
        loss = (a - 1) ** 2
        loss.backward()
        opt.step()
    assert a.value == pytest.approx(1.0)


def test_an_optimizer_follows_replaced_model_parameters():
    model = Line(a=1.0)
    opt = GradientDescent(model, lr=1.0)
    model.a = Scalar(5.0)
    set_grads(model, {"a": 1.0, "b": 0.0})
    opt.step()
    assert model.a.value == 4.0


def test_the_learning_rate_can_change_between_steps():
    model = Line(a=1.0)
    opt = GradientDescent(model, lr=1.0)
    opt.lr = 0.5
    set_grads(model, {"a": 1.0, "b": 0.0})
    opt.step()
    assert model.a.value == 0.5
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0
    assert opt.lr == 0.5


def test_a_parameter_without_a_gradient_is_left_alone():
    model = Line(a=1.0, b=1.0)
    set_grads(model, {"a": 1.0, "b": None})
    Adam(model, lr=0.1).step()
    assert model.b.value == 1.0
    assert model.a.value < 1.0


def test_adam_counts_steps_per_parameter():
    # b has no gradient in the first step, so its first real step is a first step:
    # bias-corrected, it moves by lr (times the sign of the gradient), like a's first step.
    model = Line(a=1.0, b=1.0)
    opt = Adam(model, lr=0.1)
    set_grads(model, {"a": 2.0, "b": None})
    opt.step()
    set_grads(model, {"a": 2.0, "b": -5.0})
    opt.step()
    assert model.b.value == pytest.approx(1.0 + 0.1, rel=1e-8)
    assert opt.state["a"][0] == 2 and opt.state["b"][0] == 1


def test_a_nan_gradient_stops_the_step_before_any_change():
    model = Line(a=1.0, b=1.0)
    set_grads(model, {"a": 1.0, "b": math.nan})
    for opt in (GradientDescent(model, lr=0.1), Momentum(model, lr=0.1), Adam(model)):
        with pytest.raises(ValueError, match="'b' is NaN"):
            opt.step()
        assert model.parameter_values() == {"a": 1.0, "b": 1.0}
        assert opt.state == {}


@pytest.mark.parametrize("make, message", [
    (lambda m: GradientDescent(m, lr=0), "lr must be a positive number, got 0"),
    (lambda m: GradientDescent(m, lr=-0.1), "lr must be a positive number, got -0.1"),
    (lambda m: GradientDescent(m, lr="0.1"), "lr must be a positive number, got '0.1'"),
    (lambda m: GradientDescent(m, lr=math.nan), "lr must be a positive number, got nan"),
    (lambda m: GradientDescent(m, lr=math.inf), "lr must be a positive number, got inf"),
    (lambda m: Momentum(m, lr=0.1, momentum=1.0), r"momentum must be a number in \[0, 1\), got 1.0"),
    (lambda m: Adam(m, betas=(0.9, 1.5)), r"betas\[1\] must be a number in \[0, 1\), got 1.5"),
    (lambda m: Adam(m, eps=0.0), "eps must be a positive number, got 0.0"),
], ids=["lr=0", "lr<0", "lr str", "lr nan", "lr inf", "momentum=1", "beta2>1", "eps=0"])
def test_bad_hyperparameters_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make(Line())


def test_bad_arguments_raise_type_errors():
    with pytest.raises(TypeError, match="betas must be a pair"):
        Adam(Line(), betas=0.9)
    with pytest.raises(TypeError, match=r"needs a Model or a dict of name to parameter, got \[1, 2\]"):
        GradientDescent([1, 2], lr=0.1)
    with pytest.raises(NotImplementedError):
        set_grads(model := Line(), {"a": 1.0, "b": 1.0})
        Optimizer(model, lr=0.1).step()


# ---- the training loop -----------------------------------------------------

def test_full_batch_train_matches_a_hand_written_loop():
    xs, ys = line_data()
    by_hand, by_train = Line(), Line()
    opt = Momentum(by_hand, lr=0.05)
    hand_losses = []
    for _ in range(10):
        loss = mean_squared_error([by_hand(x) for x in xs], ys)
        loss.backward()
        opt.step()
        hand_losses.append(loss.value)
    losses = train(by_train, mean_squared_error, Momentum(by_train, lr=0.05), xs, ys, n_steps=10)
    assert losses == hand_losses
    assert by_train.parameter_values() == by_hand.parameter_values()


class CountingLine(Line):
    """Line that records which points it was asked about."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, x):
        self.seen.append(x)
        return super().forward(x)


def test_minibatches_cover_every_point_once_per_epoch():
    xs = [float(i) for i in range(10)]
    ys = [0.0] * 10
    model = CountingLine()
    train(model, mean_squared_error, GradientDescent(model, lr=1e-3), xs, ys, n_steps=8, batch_size=3)
    # 10 points in batches of 3: 3, 3, 3, 1 per epoch, and two epochs in 8 steps
    first_epoch, second_epoch = model.seen[:10], model.seen[10:20]
    assert sorted(first_epoch) == xs and sorted(second_epoch) == xs
    assert first_epoch != xs and first_epoch != second_epoch  # shuffled, and reshuffled


def test_minibatch_training_repeats_exactly_with_a_seed():
    xs, ys = line_data()
    runs = []
    for seed in (7, 7, 8):
        model = Line()
        losses = train(model, mean_squared_error, Adam(model, lr=0.05), xs, ys, n_steps=30, batch_size=2, seed=seed)
        runs.append((losses, model.parameter_values()))
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[2][0]


def test_minibatches_learn_the_seed_spiral_network():
    xs = [(-1.0, -0.5), (-0.8, 0.3), (0.9, 0.4), (1.1, -0.6)]
    ys = [0, 0, 1, 1]
    model = TwoFourOne([0.1 * k for k in range(12)])
    losses = train(model, binary_cross_entropy, Adam(model, lr=0.05), xs, ys, n_steps=200, batch_size=2)
    full = binary_cross_entropy([model(x) for x in xs], ys).value
    assert full < 0.1 < losses[0]


class ArrayBatchLine(Line):
    """A model fed a whole NumPy batch at once, as Tensor models are."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def forward(self, batch):
        assert isinstance(batch, np.ndarray)
        self.calls += 1
        return [self.a * float(x) + self.b for x in batch]


def test_array_inputs_are_fed_as_one_batch():
    xs, ys = line_data()
    model = ArrayBatchLine()
    losses = train(model, mean_squared_error, Adam(model, lr=0.1), np.array(xs), np.array(ys),
                   n_steps=5, batch_size=4)
    assert model.calls == 5
    assert len(losses) == 5 and losses[-1] < losses[0]


def test_a_diverging_loss_stops_training_with_its_step():
    xs, ys = line_data()
    model = Line()
    with pytest.raises(ValueError, match=r"the loss is (inf|nan) at step \d+; training diverged"):
        train(model, mean_squared_error, GradientDescent(model, lr=1e6), xs, ys, n_steps=500)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(ys=[1.0]), ValueError, "got 8 points but 1 labels"),
    (dict(xs=[], ys=[]), ValueError, "got no points"),
    (dict(n_steps=-1), ValueError, "n_steps must be an int of at least 0, got -1"),
    (dict(n_steps=2.5), ValueError, "n_steps must be an int of at least 0, got 2.5"),
    (dict(batch_size=0), ValueError, "batch_size must be None or an int from 1 to 8 .*got 0"),
    (dict(batch_size=9), ValueError, "batch_size must be None or an int from 1 to 8 .*got 9"),
    (dict(progress="yes"), TypeError, "progress must be None, True or a callable, got 'yes'"),
])
def test_bad_training_arguments_are_named(kwargs, error, message):
    xs, ys = line_data()
    model = Line()
    args = dict(xs=xs, ys=ys, n_steps=3) | kwargs
    with pytest.raises(error, match=message):
        train(model, mean_squared_error, GradientDescent(model, lr=0.1), **args)
    assert model.parameter_values() == {"a": 0.0, "b": 0.0}


# ---- the original mlfz trainer ---------------------------------------------

def test_scalar_gradient_descent_is_the_shared_one_with_run():
    xs, ys = line_data()
    model = Line()
    opt = ScalarGradientDescent(model, mean_squared_error)
    assert isinstance(opt, GradientDescent)
    losses = opt.run(xs, ys, lr=0.1, n_steps=50)
    assert len(losses) == 50 and losses[-1] < 1e-2 * losses[0]
    # positional arguments, in the original order (xs, ys, lr, n_steps)
    assert len(opt.run(xs, ys, 0.1, 3)) == 3
    assert opt.run(xs, ys, n_steps=0) == []


def test_scalar_gradient_descent_refuses_misplaced_arguments():
    with pytest.raises(TypeError, match="loss_fn must be a function .* got 0.1"):
        ScalarGradientDescent(Line(), 0.1)
    with pytest.raises(ValueError, match="needs a loss"):
        ScalarGradientDescent(Line(), lr=0.1).run([1.0], [1.0], n_steps=1)


# ---- the progress display --------------------------------------------------

def test_loss_printer_prints_about_n_lines():
    out = io.StringIO()
    printer = LossPrinter(1000, n_lines=10, file=out)
    for step in range(1, 1001):
        printer(step, 1.0 / step)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11  # step 1, then every 100 steps
    assert lines[0] == "step    1/1000  loss 1.000000"
    assert lines[-1] == "step 1000/1000  loss 0.001000"


def test_loss_printer_overwrites_one_line_in_a_terminal():
    out = io.StringIO()
    printer = LossPrinter(20, n_lines=4, overwrite=True, file=out)
    for step in range(1, 21):
        printer(step, 10.0 if step == 1 else 0.5)
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r") == 5  # steps 1, 5, 10, 15 and 20
    assert text.split("\r")[-1].startswith("step 20/20  loss 0.500000 ")  # padded over the longer first line


def test_loss_printer_shows_time_when_asked():
    out = io.StringIO()
    printer = LossPrinter(2, show_time=True, file=out)
    printer(1, 0.5)
    printer(2, 0.25)
    assert out.getvalue().splitlines()[1].endswith(" s)")


def test_train_with_progress_true_prints_a_few_lines(capsys):
    xs, ys = line_data()
    model = Line()
    train(model, mean_squared_error, GradientDescent(model, lr=0.1), xs, ys, n_steps=100, progress=True)
    assert len(capsys.readouterr().out.splitlines()) == 11


def test_train_pauses_the_cycle_collector_and_restores_it():
    xs, ys = line_data()
    model = Line()
    seen = []

    def loss_fn(preds, labels):
        seen.append(gc.isenabled())
        if len(seen) == 3:
            raise RuntimeError("a loss that fails midway")
        return mean_squared_error(preds, labels)

    assert gc.isenabled()
    train(model, loss_fn, GradientDescent(model, lr=0.1), xs, ys, n_steps=2)
    assert seen == [False, False] and gc.isenabled()
    with pytest.raises(RuntimeError):
        train(model, loss_fn, GradientDescent(model, lr=0.1), xs, ys, n_steps=2)
    assert gc.isenabled()  # restored after an error too
    gc.disable()
    try:
        train(model, mean_squared_error, GradientDescent(model, lr=0.1), xs, ys, n_steps=1)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_loss_printer_rejects_bad_counts():
    with pytest.raises(ValueError, match="n_steps must be a positive int, got 0"):
        LossPrinter(0)
    with pytest.raises(ValueError, match="n_lines must be a positive int, got 2.0"):
        LossPrinter(10, n_lines=2.0)


# ---- Tensor parameters -------------------------------------------------------

def test_adam_first_step_on_an_array_by_hand():
    model = tensor_linear(W=[[1.0], [-2.0], [0.0]], b=[0.0])
    W = model.W.value
    model.W.grad = np.array([[0.5], [-3.0], [0.0]])
    model.b.grad = np.array([0.0])
    Adam(model, lr=0.1).step()
    expected = [[1.0 - 0.1 * 0.5 / (0.5 + 1e-8)], [-2.0 + 0.1 * 3.0 / (3.0 + 1e-8)], [0.0]]
    np.testing.assert_allclose(model.W.value, expected, rtol=1e-15, atol=1e-15)
    assert model.W.value is W  # updated in place


def test_momentum_two_steps_on_an_array_by_hand():
    model = tensor_linear(W=[[3.0], [0.0]], b=[1.0])
    opt = Momentum(model, lr=0.5, momentum=0.5)
    model.W.grad, model.b.grad = np.array([[1.0], [-2.0]]), np.array([0.0])
    opt.step()
    model.W.grad, model.b.grad = np.array([[2.0], [0.0]]), np.array([4.0])
    opt.step()
    # first row as in the Scalar test; second row: velocity -2, then 0.5 * -2 + 0 = -1
    np.testing.assert_array_equal(model.W.value, [[1.25], [0.0 + 0.5 * 2.0 + 0.5 * 1.0]])
    # b: velocity 0, then 4
    np.testing.assert_array_equal(model.b.value, [1.0 - 0.5 * 4.0])


def regression_arrays():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    return X, X @ np.array([[2.0], [-1.0]]) + 0.5


@pytest.mark.parametrize("make_optimizer", [
    lambda model: GradientDescent(model, lr=0.1),
    lambda model: Momentum(model, lr=0.05),
    lambda model: Adam(model, lr=0.05),
], ids=["GradientDescent", "Momentum", "Adam"])
@pytest.mark.parametrize("batch_size", [None, 8])
def test_optimizers_solve_a_convex_problem_with_tensors(make_optimizer, batch_size):
    tensor_loss = pytest.importorskip("mlfz.nn.tensor.loss")
    X, y = regression_arrays()
    model = tensor_linear(W=np.zeros((2, 1)), b=np.zeros(1))
    losses = train(model, tensor_loss.mean_squared_error, make_optimizer(model), X, y,
                   n_steps=300, batch_size=batch_size)
    assert losses[-1] < 1e-4 * losses[0]
    np.testing.assert_allclose(model.W.value, [[2.0], [-1.0]], atol=1e-2)
    np.testing.assert_allclose(model.b.value, [0.5], atol=1e-2)


def test_scalar_and_tensor_parameters_follow_the_same_path():
    tensor_loss = pytest.importorskip("mlfz.nn.tensor.loss")
    xs, ys = line_data()
    scalar_model = Line()
    tensor_model = tensor_linear(W=[[0.0]], b=[0.0])
    scalar_losses = train(scalar_model, mean_squared_error, Adam(scalar_model, lr=0.05), xs, ys, n_steps=50)
    tensor_losses = train(tensor_model, tensor_loss.mean_squared_error, Adam(tensor_model, lr=0.05),
                          np.array(xs)[:, None], np.array(ys)[:, None], n_steps=50)
    np.testing.assert_allclose(tensor_losses, scalar_losses, rtol=1e-12)
    assert tensor_model.W.value[0, 0] == pytest.approx(scalar_model.a.value, rel=1e-12)
    assert tensor_model.b.value[0] == pytest.approx(scalar_model.b.value, rel=1e-12)


def test_a_nan_in_an_array_gradient_is_named():
    model = tensor_linear(W=[[1.0], [2.0]], b=[0.0])
    model.W.grad, model.b.grad = np.array([[0.0], [np.nan]]), np.array([1.0])
    with pytest.raises(ValueError, match="'W' is NaN"):
        Adam(model).step()
    np.testing.assert_array_equal(model.W.value, [[1.0], [2.0]])
    np.testing.assert_array_equal(model.b.value, [0.0])
