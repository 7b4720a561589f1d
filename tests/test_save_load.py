"""Model.save and Model.load: exact round trips, atomic writes, and loud, harmless failures."""

import os
import pathlib
import struct
import zipfile

import numpy as np
import pytest

from example_models import Line, TwoFourOne, tensor_linear
from mlfz.nn import Model
from mlfz.nn.scalar import Scalar

# Values that a careless format would round or mangle.
AWKWARD = [0.1, 1 / 3, -0.0, 5e-324, 1.7976931348623157e308, -2.5e-300, 1e16 + 2, 3.141592653589793,
           -7.0, 0.2, 2 / 3, 123456.789]


def bits(model):
    """The exact bits of every parameter value, so -0.0 and 0.0 differ."""
    return {name: float(value).hex() for name, value in model.parameter_values().items()}


@pytest.fixture
def saved(tmp_path):
    """A saved TwoFourOne, its path, and a different model of the same shape to load into."""
    path = tmp_path / "model.npz"
    TwoFourOne(AWKWARD).save(path)
    return path, TwoFourOne([0.5] * 12)


def test_round_trip_is_bit_exact(saved):
    path, other = saved
    other.load(path)
    assert bits(other) == bits(TwoFourOne(AWKWARD))
    # List-held parameters changed too: the model computes with the loaded values.
    assert other.A[0][1].value == 1 / 3 and other.B[3].value == 123456.789


def test_the_file_is_a_plain_npz_of_named_float64_arrays(saved):
    path, _ = saved
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == sorted(TwoFourOne(AWKWARD).parameters())
        assert archive["a01"].dtype == np.float64 and archive["a01"].shape == ()
        assert archive["a01"] == 1 / 3


def test_save_accepts_str_and_pathlib_and_adds_no_suffix(tmp_path):
    Line(1.0, 2.0).save(str(tmp_path / "a"))
    Line(3.0, 4.0).save(pathlib.Path(tmp_path / "b.weights"))
    assert sorted(os.listdir(tmp_path)) == ["a", "b.weights"]
    model = Line()
    model.load(tmp_path / "b.weights")
    assert model.parameter_values() == {"a": 3.0, "b": 4.0}


def test_a_parameter_may_be_called_file(tmp_path):
    class Odd(Model):
        def __init__(self, value):
            self.p = Scalar(value)

        def forward(self, x):
            return self.p * x

        def parameters(self):
            return {"file": self.p, "allow_pickle": Scalar(2.0)}

    Odd(7.0).save(tmp_path / "odd.npz")
    model = Odd(0.0)
    model.load(tmp_path / "odd.npz")
    assert model.p.value == 7.0


def test_save_replaces_an_old_file_and_leaves_nothing_else(tmp_path):
    path = tmp_path / "model.npz"
    Line(1.0, 1.0).save(path)
    Line(2.0, 2.0).save(path)
    assert os.listdir(tmp_path) == ["model.npz"]
    model = Line()
    model.load(path)
    assert model.parameter_values() == {"a": 2.0, "b": 2.0}


def test_the_saved_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    Line().save(tmp_path / "model.npz")
    assert (tmp_path / "model.npz").stat().st_mode & 0o777 == 0o666 & ~umask


# ---- a crash while writing ---------------------------------------------------

def crash_on_second_entry(monkeypatch):
    """Make writing an .npz fail after its first array is written, as a full disk would."""
    real_write_array = np.lib.format.write_array
    written = []

    def write_then_fail(file, array, **kwargs):
        if written:
            raise OSError("No space left on device (simulated)")
        written.append(array)
        real_write_array(file, array, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    return written


def test_a_crash_while_writing_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    Line(1.0, 2.0).save(path)
    before = path.read_bytes()
    written = crash_on_second_entry(monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        Line(8.0, 9.0).save(path)
    assert written  # the crash did happen midway
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]


def test_a_crash_while_writing_a_new_file_leaves_no_file(tmp_path, monkeypatch):
    crash_on_second_entry(monkeypatch)
    with pytest.raises(OSError):
        Line(8.0, 9.0).save(tmp_path / "model.npz")
    assert os.listdir(tmp_path) == []


def test_a_crash_at_the_rename_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    Line(1.0, 2.0).save(path)
    before = path.read_bytes()

    def no_rename(source, destination):
        raise PermissionError("simulated")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(PermissionError):
        Line(8.0, 9.0).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]


def test_the_data_reaches_the_disk_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        events.append(("fsync", os.fstat(descriptor).st_size))
        real_fsync(descriptor)

    def replace(source, destination):
        events.append(("replace", os.path.getsize(source)))
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    Line(1.0, 2.0).save(tmp_path / "model.npz")
    size = (tmp_path / "model.npz").stat().st_size
    assert events == [("fsync", size), ("replace", size)]  # the whole file was flushed, then renamed


def test_save_refuses_a_nan_and_writes_nothing(tmp_path):
    model = Line()
    model.b.value = float("nan")
    with pytest.raises(ValueError, match="'b' is NaN"):
        model.save(tmp_path / "model.npz")
    assert os.listdir(tmp_path) == []


def test_save_into_a_missing_directory_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        Line().save(tmp_path / "nowhere" / "model.npz")


# ---- loading bad files leaves the model untouched -----------------------------

def write_npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def good_arrays():
    return {name: np.float64(value) for name, value in TwoFourOne(AWKWARD).parameter_values().items()}


def write_bytes(path, data):
    path.write_bytes(data)
    return path


def truncated(tmp_path, keep):
    data = (tmp_path / "model.npz").read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(data[:keep(len(data))])
    return path


BAD_FILES = {
    "cut in half": (lambda d: truncated(d, lambda n: n // 2), "damaged or cut-short"),
    "last byte missing": (lambda d: truncated(d, lambda n: n - 1), "damaged or cut-short"),
    "only the first 100 bytes": (lambda d: truncated(d, lambda n: 100), "damaged or cut-short"),
    "empty": (lambda d: truncated(d, lambda n: 0), "is not an .npz file"),
    "text": (lambda d: write_bytes(d / "notes.txt", b"a01 = 0.5\n"), "is not an .npz file"),
    "pickle": (lambda d: write_bytes(d / "p.npz", b"\x80\x04\x95\x00"), "is not an .npz file"),
    "single .npy": (lambda d: (np.save(d / "one.npy", np.zeros(12)), d / "one.npy")[1], r"single array \(.npy\)"),
    "wrong shape": (lambda d: write_npz(d / "w.npz", **(good_arrays() | {"b2": np.zeros((2, 1))})),
                    r"'b2' has shape \(\), got shape \(2, 1\)"),
    "missing key": (lambda d: write_npz(d / "m.npz", **{k: v for k, v in good_arrays().items() if k != "a13"}),
                    r"does not match the model: it lacks the parameters \['a13'\]$"),
    "extra key": (lambda d: write_npz(d / "e.npz", **(good_arrays() | {"c0": np.float64(1.0)})),
                  r"does not match the model: it has entries the model does not: \['c0'\]$"),
    "text entry": (lambda d: write_npz(d / "s.npz", **(good_arrays() | {"a00": np.array("0.5")})),
                   r"the entry 'a00' holds <U3 data, not real numbers"),
    "object entry": (lambda d: write_npz(d / "o.npz", **(good_arrays() | {"a00": np.array([None], dtype=object)})),
                     r"the entry 'a00' is malformed \(Object arrays cannot be loaded"),
    "NaN entry": (lambda d: write_npz(d / "n.npz", **(good_arrays() | {"b1": np.float64("nan")})),
                  r"'b1' would be set to NaN"),
}


def flipped_bit(directory):
    """The saved file with one bit of the value 1/3 flipped: the zip's checksum catches it."""
    data = bytearray((directory / "model.npz").read_bytes())
    where = data.index(struct.pack("<d", 1 / 3))
    data[where] ^= 1
    return write_bytes(directory / "flipped.npz", bytes(data))


BAD_FILES["one bit flipped"] = (flipped_bit, r"the entry 'a01' is malformed \(Bad CRC-32")


def zip_with_a_stray_file(directory):
    path = write_npz(directory / "z.npz", **good_arrays())
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("readme.txt", "hello")
    return path


BAD_FILES["stray non-array entry"] = (zip_with_a_stray_file, r"the entry 'readme.txt' is not a .npy array")


@pytest.mark.parametrize("make_file, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_raises_a_value_error_naming_it_and_changes_nothing(saved, make_file, message):
    path, model = saved
    bad_path = make_file(path.parent)
    params_before = model.parameters()
    bits_before = bits(model)
    with pytest.raises(ValueError, match=message) as error:
        model.load(bad_path)
    assert str(bad_path) in str(error.value)
    assert bits(model) == bits_before
    # The same parameter objects, too: list-held parameters were not replaced.
    assert all(model.parameters()[name] is param for name, param in params_before.items())


def test_the_good_file_still_loads_after_the_bad_ones(saved):
    # A control for the test above: the model it uses can load a good file.
    path, model = saved
    model.load(path)
    assert bits(model) == bits(TwoFourOne(AWKWARD))


def test_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        Line().load(tmp_path / "absent.npz")


def test_integers_in_a_hand_made_file_load_as_floats(tmp_path):
    path = write_npz(tmp_path / "ints.npz", a=np.int64(3), b=np.int32(-1))
    model = Line()
    model.load(path)
    assert model.parameter_values() == {"a": 3.0, "b": -1.0}
    assert type(model.a.value) is float


# ---- Tensor parameters -------------------------------------------------------

def array_bits(model):
    return {name: value.view(np.uint64).tolist() for name, value in model.parameter_values().items()}


def test_tensor_round_trip_is_bit_exact(tmp_path):
    W = np.array(AWKWARD).reshape(4, 3)
    model = tensor_linear(W=W, b=[-0.0, 1 / 7, 5e-324])
    model.save(tmp_path / "tensor.npz")
    other = tensor_linear(W=np.zeros((4, 3)), b=np.zeros(3))
    W_object = other.W
    other.load(tmp_path / "tensor.npz")
    assert array_bits(other) == array_bits(model)
    assert other.W is W_object and other.W.value.dtype == np.float64
    assert not np.shares_memory(other.W.value, model.W.value)


@pytest.mark.parametrize("stored, message", [
    ({"W": np.zeros((3, 4)), "b": np.zeros(3)}, r"'W' has shape \(4, 3\), got shape \(3, 4\)"),
    ({"W": np.zeros((4, 3)), "b": np.zeros(())}, r"'b' has shape \(3,\), got shape \(\)"),
    ({"W": np.zeros((4, 3))}, r"lacks the parameters \['b'\]"),
    ({"W": np.zeros((4, 3)), "b": np.array([1.0, np.nan, 2.0])}, r"'b' would be set to NaN"),
    ({"W": np.zeros((4, 3)), "b": np.array([1 + 2j, 0, 0])}, r"'b' holds complex128 data, not real numbers"),
], ids=["transposed", "scalar for vector", "missing", "NaN", "complex"])
def test_a_bad_tensor_file_changes_nothing(tmp_path, stored, message):
    model = tensor_linear(W=np.arange(12.0).reshape(4, 3), b=[1.0, 2.0, 3.0])
    before = array_bits(model)
    path = write_npz(tmp_path / "bad.npz", **stored)
    with pytest.raises(ValueError, match=message):
        model.load(path)
    assert array_bits(model) == before


def test_a_scalar_model_file_does_not_load_into_a_tensor_model(tmp_path):
    Line(1.0, 2.0).save(tmp_path / "line.npz")
    model = tensor_linear(W=[[0.0]], b=[0.0])
    with pytest.raises(ValueError, match=r"lacks the parameters \['W'\] and it has entries the model does not: \['a'\]"):
        model.load(tmp_path / "line.npz")
