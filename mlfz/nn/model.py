"""Model: the base class of every network in the book.

A subclass says how to compute its output (`forward`) and what it learns
(`parameters`, a dict of name to Scalar or Tensor). The base class does the
rest, the same way for both kinds of parameter: each has a `.value` and a
`.grad`.
"""

import copy
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
            # Floats are rebound; NumPy arrays are updated in place.
            param.value -= lr * param.grad

    def parameter_values(self):
        """The parameters' values: floats for Scalars, copies of arrays for Tensors."""
        return {name: copy.copy(param.value) for name, param in self.parameters().items()}

    def copy_parameters(self):
        """An independent deep copy of the parameters, as a dict of name to parameter."""
        return copy.deepcopy(self.parameters())

    def load_parameters(self, params):
        """Set parameter values by name, from floats, arrays, Scalars or Tensors.

        Values are copied into the existing parameters, so parameters kept in
        lists (such as `self.A[i][j]`) change too. Every entry is checked
        before anything changes: an unknown name or a wrong shape raises a
        ValueError that names it, and leaves the model as it was.
        """
        own = self.parameters()
        unknown = sorted(set(params) - set(own))
        if unknown:
            raise ValueError(f"load_parameters: the model has no parameters named {unknown}")
        new_values = {}
        for name, value in params.items():
            value = getattr(value, "value", value)
            current = own[name].value
            if isinstance(current, float):
                new_values[name] = float(value)
            else:
                new_values[name] = np.array(value, dtype=np.float64)
                if new_values[name].shape != current.shape:
                    raise ValueError(
                        f"load_parameters: {name!r} has shape {current.shape}, got {new_values[name].shape}"
                    )
        for name, value in new_values.items():
            own[name].value = value
