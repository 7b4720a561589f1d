"""Tests of mlfz.models: the chapters' small models learn, and name their parameters."""

import mlfz
import mlfz.models
from mlfz.datasets import make_blobs
from mlfz.metrics import accuracy
from mlfz.models import LogisticRegression
from mlfz.nn.optim import GradientDescent, train
from mlfz.nn.scalar import Scalar, binary_cross_entropy


def test_logistic_regression_names_its_three_parameters_and_starts_at_one():
    model = LogisticRegression()
    params = model.parameters()
    assert list(params) == ["a1", "a2", "b"]
    assert all(isinstance(param, Scalar) for param in params.values())
    # The chapters' glued numbers (the initial accuracy and loss) rely on this start.
    assert model.parameter_values() == {"a1": 1.0, "a2": 1.0, "b": 1.0}


def test_logistic_regression_computes_the_sigmoid_of_the_weighted_sum():
    model = LogisticRegression()
    model.a1.value, model.a2.value, model.b.value = 2.0, -1.0, 0.5
    # 2 * 1 - 1 * 2.5 + 0.5 = 0: exactly on the decision boundary.
    assert model((1.0, 2.5)).value == 0.5
    assert model((3.0, 0.0)).value > 0.99


def test_logistic_regression_learns_two_blobs():
    xs, ys = make_blobs(n_per_class=50, seed=0)
    model = LogisticRegression()
    assert accuracy(model, xs, ys) < 0.1  # starting at 1, it has the classes the wrong way round
    losses = train(model, binary_cross_entropy, GradientDescent(model, lr=0.1), xs, ys, n_steps=100)
    assert losses[-1] < losses[0] / 10
    assert accuracy(model, xs, ys) >= 0.95


def test_models_is_listed_in_the_package():
    assert "models" in mlfz.__all__
    assert mlfz.models.__all__ == ["LogisticRegression"]
