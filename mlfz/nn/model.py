"""Model: the base class of every network in the book.

A subclass says how to compute its output (`forward`) and what it learns
(`parameters`, a dict of name to Scalar or Tensor). The base class does the
rest, the same way for both kinds of parameter: each has a `.value` and a
`.grad`. That includes saving the values to a file and loading them back
(`save` and `load`), in NumPy's .npz format and never with pickle.
"""

import contextlib
import copy
import os
import secrets
import zipfile
from abc import ABC, abstractmethod

import numpy as np

__all__ = ["Model"]


class Model(ABC):
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    @abstractmethod
    def forward(self, *args, **kwargs):
        """Compute the model's output."""

    @abstractmethod
    def parameters(self):
        """A dict of name to parameter (Scalar or Tensor)."""

    def gradient_update(self, lr):
        """One gradient descent step: value -= lr * grad, for every parameter."""
        for param in self.parameters().values():
            # A Tensor that the loss did not use has no gradient: leave it be.
            if param.grad is not None:
                # Floats are rebound; NumPy arrays are updated in place.
                param.value -= lr * param.grad

    def parameter_values(self):
        """The parameters' values: floats for Scalars, copies of arrays for Tensors."""
        return {name: copy.copy(param.value) for name, param in self.parameters().items()}

    def copy_parameters(self):
        """An independent deep copy of the parameters, as a dict of name to parameter."""
        return copy.deepcopy(self.parameters())

    def load_parameters(self, params, strict=False):
        """Set parameter values by name, from floats, arrays, Scalars or Tensors.

        Values are copied into the existing parameters, so parameters kept in
        lists (such as `self.A[i][j]`) change too. Every entry is checked
        before anything changes: an unknown name, a wrong shape or a NaN
        raises a ValueError that names it (something that is not a number, a
        TypeError), and leaves the model as it was. With `strict=True`, a
        parameter missing from `params` is an error too.
        """
        own = self.parameters()
        unknown = sorted(set(params) - set(own))
        if unknown:
            raise ValueError(f"load_parameters: the model has no parameters named {unknown}")
        missing = sorted(set(own) - set(params))
        if strict and missing:
            raise ValueError(f"load_parameters: no values given for the parameters {missing}")
        new_values = {name: _checked_value(name, value, own[name].value) for name, value in params.items()}
        for name, value in new_values.items():
            own[name].value = value

    def save(self, path):
        """Write the parameter values to the file `path` (used as given: no suffix is added).

        The format is NumPy's .npz: a zip archive holding one .npy array per
        parameter, named after it. It stores numbers only, so loading it runs
        no code, unlike pickle. The file is written atomically: first to a
        temporary file beside `path`, which is then renamed over it in one
        step. A crash midway leaves any earlier file at `path` as it was.
        """
        arrays = {}
        for name, value in self.parameter_values().items():
            if not isinstance(name, str):
                raise TypeError(f"save: parameter names must be strings, got {name!r}")
            arrays[name] = np.asarray(value, dtype=np.float64)
            if np.isnan(arrays[name]).any():
                raise ValueError(f"save: parameter {name!r} is NaN, and a NaN cannot be loaded back")
        _write_atomically(path, lambda file: _write_npz(file, arrays))

    def load(self, path):
        """Set the parameters from a file written by `save`.

        The whole file is read and checked before any parameter changes. A file
        that is not an .npz archive, is cut short, has a malformed entry, lacks
        a parameter, has one the model does not, or has a wrong shape raises
        a ValueError that names the file and the problem; the model stays
        exactly as it was.
        """
        arrays = _read_npz(path)
        own, stored = set(self.parameters()), set(arrays)
        problems = []
        if own - stored:
            problems.append(f"it lacks the parameters {sorted(own - stored)}")
        if stored - own:
            problems.append(f"it has entries the model does not: {sorted(stored - own)}")
        if problems:
            raise ValueError(f"{os.fspath(path)!r} does not match the model: {' and '.join(problems)}")
        try:
            self.load_parameters(arrays, strict=True)
        except ValueError as error:
            raise ValueError(f"{os.fspath(path)!r}: {error}") from None


def _checked_value(name, value, current):
    """`value` (a number, an array, a Scalar or a Tensor) as a new value for the parameter `name`.

    The result has the kind of `current`, the parameter's value now: a float,
    or a fresh float64 array of the same shape.
    """
    array = np.asarray(getattr(value, "value", value))
    if array.dtype.kind not in "fiu":  # float, signed or unsigned int
        raise TypeError(f"load_parameters: {name!r} needs real numbers, got {value!r}")
    if array.shape != np.shape(current):
        raise ValueError(f"load_parameters: {name!r} has shape {np.shape(current)}, got shape {array.shape}")
    if np.isnan(array).any():
        raise ValueError(f"load_parameters: {name!r} would be set to NaN")
    if isinstance(current, np.ndarray):
        return array.astype(np.float64)  # a copy, so the model never shares memory with the caller
    return float(array)


def _write_npz(file, arrays):
    """Write `arrays` (a dict of name to array) to the open binary `file` as an .npz archive.

    This is what np.savez does, written out: savez takes the names as keyword
    arguments, which would break on a parameter named "file".
    """
    with zipfile.ZipFile(file, "w") as archive:
        for name, array in arrays.items():
            with archive.open(name + ".npy", "w") as entry:
                np.lib.format.write_array(entry, array, allow_pickle=False)


def _write_atomically(path, write):
    """Call `write(file)` on a temporary file, then rename it to `path`.

    A rename within one directory is atomic: `path` is the old file or the
    complete new one, never a mix. If `write` fails, the temporary file is
    removed and `path` is untouched.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"save: the directory {directory!r} does not exist")
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(8)}.tmp")
    # O_EXCL: never reuse a file someone else made; mode 0o666 lets the umask decide, as open() does.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())  # the data is on disk before the rename makes it visible
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def _read_npz(path):
    """Every array in the .npz file `path`, as a dict of name to array, checked to be real numbers.

    Any problem with the file raises a ValueError that names the file and,
    where there is one, the entry.
    """
    where = repr(os.fspath(path))
    with open(path, "rb") as file:
        start = file.read(6)
    if start == b"\x93NUMPY":
        raise ValueError(f"{where} holds a single array (.npy), not an .npz archive of named parameters")
    if not start.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # how a zip archive (or an empty one) starts
        raise ValueError(f"{where} is not an .npz file: an .npz file is a zip archive, and this is not one")
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{where} is a damaged or cut-short .npz file ({error})") from None
    arrays = {}
    with archive:
        for name in archive.files:
            try:
                array = archive[name]
            except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
                raise ValueError(f"{where}: the entry {name!r} is malformed ({error})") from None
            if not isinstance(array, np.ndarray):
                raise ValueError(f"{where}: the entry {name!r} is not a .npy array")
            if array.dtype.kind not in "fiu":
                raise ValueError(f"{where}: the entry {name!r} holds {array.dtype} data, not real numbers")
            arrays[name] = array
    return arrays
