"""The Model base class with Scalar parameters: updates, copies and loading by name."""

import math

import numpy as np
import pytest

from example_models import Line, TwoFourOne
from mlfz.nn import Model
from mlfz.nn.scalar import Scalar, binary_cross_entropy

TWELVE = [0.5, -0.25, 1.0, 2.0, -1.5, 0.75, 0.125, -2.0, 3.0, -0.5, 0.25, 1.5]


def test_a_model_must_define_forward_and_parameters():
    class NoForward(Model):
        def parameters(self):
            return {}

    with pytest.raises(TypeError, match="forward"):
        NoForward()


def test_calling_a_model_runs_forward():
    assert Line(2.0, 1.0)(3.0).value == 7.0


def test_gradient_update_steps_every_parameter_against_its_gradient():
    model = TwoFourOne(TWELVE)
    loss = binary_cross_entropy([model((1.0, -2.0)), model((-0.5, 0.5))], [1, 0])
    loss.backward()
    grads = {name: p.grad for name, p in model.parameters().items()}
    before = model.parameter_values()
    model.gradient_update(0.5)
    after = model.parameter_values()
    assert all(grads[name] != 0.0 for name in grads)
    assert after == {name: before[name] - 0.5 * grads[name] for name in before}
    # The list-held parameters themselves moved, so the model's output changed.
    assert model.A[1][2].value == before["a12"] - 0.5 * grads["a12"]


def test_parameter_values_are_plain_floats_that_do_not_follow_the_model():
    model = TwoFourOne(TWELVE)
    values = model.parameter_values()
    assert values == dict(zip(model.parameters(), TWELVE))
    assert all(type(v) is float for v in values.values())
    model.A[0][0].value = 99.0
    assert values["a00"] == 0.5


def test_copy_parameters_is_independent_both_ways():
    model = TwoFourOne(TWELVE)
    copied = model.copy_parameters()
    assert set(copied) == set(model.parameters())
    assert all(copied[name] is not p for name, p in model.parameters().items())
    assert {name: p.value for name, p in copied.items()} == model.parameter_values()
    copied["a00"].value = -10.0
    assert model.A[0][0].value == 0.5
    model.B[3].value = 42.0
    assert copied["b3"].value == 1.5


def test_load_parameters_by_name_reaches_list_held_parameters():
    model = TwoFourOne(TWELVE)
    a01, b2 = model.A[0][1], model.B[2]
    model.load_parameters({"a01": 7.0, "b2": Scalar(-3.0)})
    assert model.A[0][1] is a01 and a01.value == 7.0
    assert model.B[2] is b2 and b2.value == -3.0
    assert model.parameter_values()["a00"] == 0.5  # the rest unchanged


def test_load_parameters_restores_a_copy_after_training():
    model = TwoFourOne(TWELVE)
    snapshot = model.copy_parameters()
    for _ in range(3):
        binary_cross_entropy([model((1.0, -2.0))], [1]).backward()
        model.gradient_update(1.0)
    assert model.parameter_values() != dict(zip(snapshot, TWELVE))
    model.load_parameters(snapshot)
    assert model.parameter_values() == dict(zip(snapshot, TWELVE))


def test_load_parameters_converts_ints_and_numpy_numbers_to_floats():
    model = Line()
    model.load_parameters({"a": 3, "b": np.float32(0.5)})
    assert model.parameter_values() == {"a": 3.0, "b": 0.5}
    assert type(model.a.value) is float and type(model.b.value) is float


@pytest.mark.parametrize("params, error, message", [
    ({"a": 1.0, "c": 2.0}, ValueError, r"no parameters named \['c'\]"),
    ({"a": 1.0, "b": [1.0, 2.0]}, ValueError, r"'b' has shape \(\), got shape \(2,\)"),
    ({"a": 1.0, "b": "2.0"}, TypeError, r"'b' needs real numbers, got '2.0'"),
    ({"a": 1.0, "b": None}, TypeError, r"'b' needs real numbers, got None"),
    ({"a": 1.0, "b": True}, TypeError, r"'b' needs real numbers, got True"),
    ({"a": 1.0, "b": math.nan}, ValueError, r"'b' would be set to NaN"),
])
def test_load_parameters_checks_everything_before_changing_anything(params, error, message):
    model = Line(5.0, 6.0)
    with pytest.raises(error, match=message):
        model.load_parameters(params)
    assert model.parameter_values() == {"a": 5.0, "b": 6.0}


def test_strict_load_parameters_requires_every_name():
    model = Line(5.0, 6.0)
    model.load_parameters({"a": 1.0})  # partial loads are fine by default
    with pytest.raises(ValueError, match=r"no values given for the parameters \['b'\]"):
        model.load_parameters({"a": 2.0}, strict=True)
    assert model.parameter_values() == {"a": 1.0, "b": 6.0}


def test_mlfz_nn_exports_only_names_the_engines_do_not_redefine():
    import mlfz.nn
    import mlfz.nn.scalar

    engines = [mlfz.nn.scalar]
    try:
        import mlfz.nn.tensor
        engines.append(mlfz.nn.tensor)
    except ImportError:
        pass
    for engine in engines:
        for name in set(mlfz.nn.__all__) & set(engine.__all__):
            # A star import of both may bring this name twice: it must be the same thing.
            assert getattr(mlfz.nn, name) is getattr(engine, name), name
