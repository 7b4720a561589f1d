"""The Tensor: an array of numbers in a computational graph.

A Tensor is the vectorized twin of a Scalar. Every operation on a Tensor
returns a new Tensor that remembers its parents and, for each parent, how
to pass a gradient back to it. Where a Scalar stores a local derivative (a
number to multiply by), a Tensor stores a small function: given the gradient
of the output, it returns the parent's share of it (for `a * b` that is
`g * b`, for `a @ b` it is `g @ bᵀ`). The forward value and these backward
functions are written side by side, so each operation's whole rule is in one
place. `backward()` walks the graph from the output back to the leaves.

Broadcasting follows NumPy. When an operand was broadcast (a bias of shape
(8,) added to every row of a (400, 8) array), each of its numbers was used
many times, so its gradient is the sum over the axes it was stretched along.
`backward()` does this in one place, `_unbroadcast`, for every operation.

Only Tensors are nodes. A NumPy array or a Python number in an operation is
a constant: it gets no gradient, so none is computed for it. Pass input data
as plain arrays, and make Tensors of what you want gradients of.
"""

import numbers
import reprlib

import numpy as np

# The same iterative sort as Scalar's: it reads `_parent1` and `_parent2`.
from ..scalar.core import _reverse_topological_order

__all__ = ["Tensor"]


class Tensor:
    # __slots__ keeps a node small and its attributes quick to reach: with
    # arrays of a few hundred numbers, the bookkeeping per node is what costs.
    # As in a Scalar, a node has at most two parents, each with the function
    # that passes the gradient back to it, so both engines share one sort.
    __slots__ = ("value", "grad", "_parent1", "_grad_fn1", "_parent2", "_grad_fn2")

    # Tell NumPy to leave Tensors alone, so that `array @ tensor` falls back
    # to Tensor.__rmatmul__ instead of building an array of objects.
    __array_ufunc__ = None

    def __init__(self, value):
        self.value = _check_array(value)
        # None until backward() reaches this Tensor.
        self.grad = None
        self._parent1 = self._grad_fn1 = self._parent2 = self._grad_fn2 = None

    # ---- making Tensors ----------------------------------------------------

    @classmethod
    def ones(cls, *shape):
        """A Tensor of ones: `Tensor.ones(2, 3)` or `Tensor.ones((2, 3))`."""
        return cls(np.ones(_check_shape(shape)))

    @classmethod
    def zeros(cls, *shape):
        """A Tensor of zeros: `Tensor.zeros(2, 3)` or `Tensor.zeros((2, 3))`."""
        return cls(np.zeros(_check_shape(shape)))

    @classmethod
    def ones_like(cls, other):
        """Ones in the shape of `other`, a Tensor or an array."""
        return cls.ones(*_shape_of(other))

    @classmethod
    def zeros_like(cls, other):
        """Zeros in the shape of `other`, a Tensor or an array."""
        return cls.zeros(*_shape_of(other))

    @classmethod
    def from_random(cls, *shape, lower=0, upper=1):
        """Numbers drawn uniformly from [lower, upper).

        It draws from NumPy's global generator: `np.random.seed(0)` first
        makes the numbers repeat.
        """
        shape = _check_shape(shape)
        for name, bound in (("lower", lower), ("upper", upper)):
            if isinstance(bound, bool) or not isinstance(bound, numbers.Real) or not np.isfinite(bound):
                raise TypeError(f"from_random: {name} must be a finite real number, got {bound!r}")
        if not lower < upper:
            raise ValueError(f"from_random: lower must be less than upper, got lower={lower}, upper={upper}")
        return cls(lower + (upper - lower) * np.random.random_sample(shape))

    @classmethod
    def random_like(cls, other, lower=0, upper=1):
        """Uniform random numbers from [lower, upper) in the shape of `other`."""
        return cls.from_random(*_shape_of(other), lower=lower, upper=upper)

    # ---- what a Tensor looks like -----------------------------------------

    @property
    def backwards_grad(self):
        """The name the original mlfz used for `grad` (read-only)."""
        return self.grad

    @property
    def shape(self):
        return self.value.shape

    @property
    def ndim(self):
        return self.value.ndim

    def __len__(self):
        if self.value.ndim == 0:
            raise TypeError("len() of a 0-d Tensor: it holds a single number and has no length")
        return len(self.value)

    @property
    def _parents(self):
        """The parents this node was computed from, as a tuple (for reading)."""
        return tuple(p for p in (self._parent1, self._parent2) if p is not None)

    @property
    def _grad_fns(self):
        """The backward function of each parent, in the same order (for reading)."""
        return (self._grad_fn1, self._grad_fn2)[:len(self._parents)]

    def __repr__(self):
        return f"Tensor({np.array2string(self.value, separator=', ', prefix='Tensor(')})"

    # ---- elementwise operations: forward value, then backward functions ----
    # Each backward function takes g, the gradient of the output, and returns
    # the gradient of one operand, in the output's shape (backward() sums it
    # back down to the operand's shape if the operand was broadcast).

    def __add__(self, other):
        b = _operand(other)
        if b is NotImplemented:
            return b
        # d(a + b)/da = 1, d(a + b)/db = 1: the gradient passes through.
        return _binary(self, other, _broadcast(np.add, self.value, b, "+"), _identity, _identity)

    __radd__ = __add__

    def __sub__(self, other):
        b = _operand(other)
        if b is NotImplemented:
            return b
        # d(a - b)/da = 1, d(a - b)/db = -1
        return _binary(self, other, _broadcast(np.subtract, self.value, b, "-"), _identity, np.negative)

    def __rsub__(self, other):
        c = _operand(other)
        if c is NotImplemented:
            return c
        # d(c - a)/da = -1
        return _binary(other, self, _broadcast(np.subtract, c, self.value, "-"), None, np.negative)

    def __neg__(self):
        # d(-a)/da = -1
        return _node(-self.value, (self,), (np.negative,))

    def __mul__(self, other):
        b = _operand(other)
        if b is NotImplemented:
            return b
        a = self.value
        # d(a * b)/da = b, d(a * b)/db = a
        return _binary(self, other, _broadcast(np.multiply, a, b, "*"), lambda g: g * b, lambda g: g * a)

    __rmul__ = __mul__

    def __truediv__(self, other):
        b = _operand(other)
        if b is NotImplemented:
            return b
        _check_no_zeros(b, self, "/")
        a = self.value
        # d(a / b)/da = 1/b, d(a / b)/db = -a/b²
        return _binary(self, other, _broadcast(np.divide, a, b, "/"),
                       lambda g: g / b, lambda g: -g * a / (b * b))

    def __rtruediv__(self, other):
        c = _operand(other)
        if c is NotImplemented:
            return c
        a = self.value
        _check_no_zeros(a, other, "/")
        # d(c / a)/da = -c/a²
        return _binary(other, self, _broadcast(np.divide, c, a, "/"), None, lambda g: -g * c / (a * a))

    def __pow__(self, other):
        return _power(self, other)

    def __rpow__(self, other):
        return _power(other, self)

    # ---- matrix product ----------------------------------------------------

    def __matmul__(self, other):
        b = _operand(other)
        if b is NotImplemented:
            return b
        return _matmul(self, other, self.value, b)

    def __rmatmul__(self, other):
        c = _operand(other)
        if c is NotImplemented:
            return c
        return _matmul(other, self, c, self.value)

    # ---- changing the shape ------------------------------------------------

    @property
    def T(self):
        """The transpose (all axes reversed, as NumPy's `.T`)."""
        # Transposing the gradient puts each number back where it came from.
        return _node(self.value.T, (self,), (np.transpose,))

    def reshape(self, *shape):
        """The same numbers in a new shape: `t.reshape(2, 3)` or `t.reshape((2, 3))`."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            value = self.value.reshape(shape)
        except ValueError:
            raise ValueError(f"cannot reshape a Tensor of shape {self.shape} into shape {shape}") from None
        old_shape = self.shape
        # The gradient goes back to the old shape, number for number.
        return _node(value, (self,), (lambda g: g.reshape(old_shape),))

    # ---- reductions ----------------------------------------------------------

    def sum(self, axis=None, keepdims=False):
        """The sum over `axis` (an int, a tuple of ints, or None for all axes)."""
        axes = _normalize_axes(axis, self.ndim)
        shape = self.shape
        # Every number that went into a sum gets the sum's gradient.
        return _node(self.value.sum(axis=axes, keepdims=keepdims), (self,),
                     (lambda g: _spread(g, axes, keepdims, shape),))

    def mean(self, axis=None, keepdims=False):
        """The mean over `axis` (an int, a tuple of ints, or None for all axes)."""
        axes = _normalize_axes(axis, self.ndim)
        count = 1
        for i in axes:
            count *= self.shape[i]
        if count == 0:
            raise ValueError(f"mean over axis {axis} of a Tensor of shape {self.shape}: no numbers to average")
        shape = self.shape
        # A mean is a sum divided by the count: each number gets 1/count of the gradient.
        return _node(self.value.sum(axis=axes, keepdims=keepdims) / count, (self,),
                     (lambda g: _spread(g / count, axes, keepdims, shape),))

    # ---- the backward pass ---------------------------------------------------

    def backward(self):
        """Fill in `.grad` of every Tensor this one depends on.

        The gradients of the graph are reset first, so each call gives the
        gradients of this output alone, and calling it twice changes nothing.
        The output's own gradient is all ones: for a single number (a loss)
        that is d loss/d loss = 1; for an array it is the gradient of its sum.

        Each leaf (a Tensor you made, such as a parameter) gets a gradient
        array of its own. Gradients of intermediate results may share memory
        with each other, so treat them as read-only.
        """
        order = _reverse_topological_order(self)
        for node in order:
            node.grad = None
        self.grad = np.ones(self.value.shape)
        # Children come before their parents in `order`, so a node's gradient
        # is complete (every consumer has added its share) before it is used.
        for node in order:
            if node._parent1 is not None:
                _pass_back(node._parent1, node._grad_fn1(node.grad), node.grad)
                if node._parent2 is not None:
                    _pass_back(node._parent2, node._grad_fn2(node.grad), node.grad)


def _pass_back(parent, parent_grad, grad):
    """Add `parent_grad`, one child's share of the gradient, to `parent.grad`."""
    shape = parent.value.shape
    if parent_grad.shape != shape:
        parent_grad = _unbroadcast(parent_grad, shape)
    is_leaf = parent._parent1 is None
    if parent.grad is None:
        # The first share. A leaf (a parameter) keeps its gradient, so
        # it gets an array of its own, not this node's or a view of one.
        if is_leaf and (parent_grad is grad or type(parent_grad) is not np.ndarray
                        or parent_grad.base is not None):
            parent_grad = np.array(parent_grad)
        parent.grad = parent_grad
    elif is_leaf:
        parent.grad += parent_grad  # a leaf owns its array
    else:
        # Intermediate gradients may share memory: add out of place.
        parent.grad = parent.grad + parent_grad


_new_tensor = object.__new__


def _node(value, parents, grad_fns):
    """Make the Tensor an operation returns.

    It skips __init__'s checks: `value` comes from NumPy arithmetic on
    float64 arrays, and this is the hottest path in the library.
    """
    node = _new_tensor(Tensor)
    # NumPy returns a plain float64, not an array, for operations on 0-d arrays.
    node.value = value if type(value) is np.ndarray else np.asarray(value, dtype=np.float64)
    node.grad = None
    # Call sites pass tuples (a Tensor graph has few nodes); the node keeps
    # them in the same slots as a Scalar.
    node._parent1, node._grad_fn1 = parents[0], grad_fns[0]
    node._parent2, node._grad_fn2 = (parents[1], grad_fns[1]) if len(parents) == 2 else (None, None)
    return node


def _binary(a, b, value, grad_fn_a, grad_fn_b):
    """The node of `a op b`, where one side may be a constant (not a node)."""
    if type(a) is Tensor:
        if type(b) is Tensor:
            return _node(value, (a, b), (grad_fn_a, grad_fn_b))
        return _node(value, (a,), (grad_fn_a,))
    return _node(value, (b,), (grad_fn_b,))


def _identity(g):
    return g


def _unbroadcast(grad, shape):
    """Sum `grad` down to `shape`, over the axes along which `shape` was broadcast.

    Broadcasting lines shapes up from the right. Axes that the operand did
    not have at all (on the left) are summed away; axes where it had size 1
    are summed with keepdims, so they stay size 1. Axes are matched by
    position, never by their sizes.
    """
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    if grad.shape != shape:
        # Summing an axis that already has size 1 changes nothing, so sum them all.
        grad = grad.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True)
    return grad


def _spread(g, axes, keepdims, shape):
    """The gradient of a sum over `axes`: g copied back along every summed axis."""
    if not keepdims:
        # Put back the summed axes as size 1, at their original positions.
        g = np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


def _matmul(a, b, a_value, b_value):
    """The node of `a @ b`; either side may be a constant."""
    try:
        value = a_value @ b_value
    except ValueError:
        raise ValueError(
            f"cannot multiply matrices of shapes {np.shape(a_value)} @ {np.shape(b_value)}: "
            "the last axis of the left one must match the second-to-last (or only) axis of the right one"
        ) from None
    if a_value.ndim == 2 and b_value.ndim == 2:
        # d(A @ B)/dA: G @ Bᵀ; d(A @ B)/dB: Aᵀ @ G
        return _binary(a, b, value, lambda g: g @ b_value.T, lambda g: a_value.T @ g)
    return _binary(a, b, value, lambda g: _matmul_grads(a_value, b_value, g)[0],
                   lambda g: _matmul_grads(a_value, b_value, g)[1])


def _matmul_grads(a, b, g):
    """The gradients of a @ b for vectors and stacks of matrices.

    matmul treats a vector on the left as a one-row matrix and a vector on
    the right as a one-column matrix, then drops that axis from the result.
    Do the same, use the matrix rule G @ Bᵀ and Aᵀ @ G, and drop the axis
    again. Stacked (batch) axes that were broadcast are summed by backward().
    """
    a2 = a[np.newaxis, :] if a.ndim == 1 else a
    b2 = b[:, np.newaxis] if b.ndim == 1 else b
    if b.ndim == 1:
        g = g[..., np.newaxis]
    if a.ndim == 1:
        g = g[..., np.newaxis, :]
    grad_a = g @ np.swapaxes(b2, -1, -2)
    grad_b = np.swapaxes(a2, -1, -2) @ g
    if a.ndim == 1:
        grad_a = grad_a[..., 0, :]
    if b.ndim == 1:
        grad_b = grad_b[..., 0]
    return grad_a, grad_b


def _power(base, exponent):
    """The node of `base ** exponent`; either side may be a constant."""
    a, n = _operand(base), _operand(exponent)
    if a is NotImplemented or n is NotImplemented:
        return NotImplemented
    if type(n) is float and n.is_integer() and n >= 1.0:
        # The common case, such as x ** 2: real and smooth everywhere.
        # d(a^n)/da = n * a^(n-1)
        return _node(a ** n, (base,), (lambda g: g * (n * a ** (n - 1.0)),))
    # Any NaN or inf in here is refused by _check_power, with a clearer error.
    with np.errstate(all="ignore"):
        value = _broadcast(np.power, a, n, "**")
    _check_power(a, n)
    if type(exponent) is Tensor and np.any(a < 0):
        raise ValueError(f"d(a ** n)/dn = a ** n * log(a) is not real for negative a, got a = {a}")
    return _binary(base, exponent, value,
                   lambda g: g * _power_slope(a, n),
                   # d(a^n)/dn = a^n * log(a), which tends to 0 as a -> 0.
                   lambda g: g * np.where(a == 0.0, 0.0, value * np.log(np.where(a == 0.0, 1.0, a))))


def _check_power(a, n):
    """Refuse powers whose value or derivative is not a finite real number."""
    a, n = np.broadcast_arrays(a, n)
    not_real = (a < 0) & (n % 1 != 0)
    if not_real.any():
        raise ValueError(f"a negative number to a non-integer power is not real: {a[not_real][:5]} ** {n[not_real][:5]}")
    # At a = 0, a^n (n < 0) or its derivative n a^(n-1) (0 < n < 1) is infinite.
    infinite = (a == 0) & (n < 1) & (n != 0)
    if infinite.any():
        raise ZeroDivisionError(f"0 ** {n[infinite][:5]} has an infinite value or derivative")


def _power_slope(a, n):
    """d(a^n)/da = n * a^(n-1), which is 0 where n = 0 (even at a = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = n * a ** (n - 1.0)
    return np.where(n == 0.0, 0.0, slope)


# ---- checking what comes in ------------------------------------------------

def _check_array(value):
    """value as a new float64 array, or a TypeError that names it."""
    if type(value) is Tensor:
        return value.value.copy()
    try:
        array = np.array(value)
    except (ValueError, TypeError):
        # NumPy refuses ragged lists such as [[1, 2], [3]].
        raise TypeError(f"Tensor needs a number or a rectangular array of numbers, got {reprlib.repr(value)}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"Tensor needs real numbers, got {reprlib.repr(value)} (an array of dtype {array.dtype})"
        )
    array = array.astype(np.float64, copy=False)
    if np.isnan(array).any():
        raise ValueError(f"Tensor got NaN, which has no derivative to follow: {reprlib.repr(value)}")
    return array


def _operand(x):
    """The array behind an operand: a Tensor's value or a constant; NotImplemented otherwise."""
    if type(x) is Tensor:
        return x.value
    if type(x) is np.ndarray:
        # Arrays are not scanned for NaN here: that would be a pass over the
        # data at every operation. A NaN in the data reaches the loss instead,
        # and the losses refuse it.
        if x.dtype == np.float64:
            return x
        if x.dtype.kind in "iuf":
            return x.astype(np.float64)
        return NotImplemented
    # float and int first: the abstract numbers.Real check is ten times slower.
    if type(x) is float or type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))):
        x = float(x)
        if not -np.inf < x < np.inf:
            raise ValueError(f"a Tensor operation got the constant {x}; constants must be finite numbers")
        return x
    return NotImplemented


def _broadcast(ufunc, a, b, symbol):
    """ufunc(a, b), with an error naming both shapes if they do not broadcast."""
    try:
        return ufunc(a, b)
    except ValueError:
        raise ValueError(f"shapes {np.shape(a)} and {np.shape(b)} cannot be broadcast together for {symbol}") from None


def _check_no_zeros(divisor, dividend, symbol):
    if not np.all(divisor):
        raise ZeroDivisionError(f"division by zero in {dividend!r} {symbol} {divisor!r}")


def _check_shape(shape):
    """Accept f(2, 3) and f((2, 3)); return the shape as a tuple of ints."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"a shape is made of ints, got {shape!r}")
        if n < 0:
            raise ValueError(f"a shape has no negative sizes, got {shape!r}")
    return tuple(int(n) for n in shape)


def _shape_of(other):
    if isinstance(other, (Tensor, np.ndarray)):
        return other.shape
    raise TypeError(f"expected a Tensor or a NumPy array, got {reprlib.repr(other)}")


def _normalize_axes(axis, ndim):
    """axis (None, an int or a tuple of ints) as a sorted tuple of axis positions >= 0."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, numbers.Integral) else axis
    if not isinstance(axes, (tuple, list)):
        raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}")
    positions = []
    for i in axes:
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}")
        if not -ndim <= i < ndim:
            raise ValueError(f"axis {i} is out of range for a Tensor with {ndim} axes")
        # A negative axis counts from the end: -1 is the last.
        positions.append(int(i) % ndim)
    if len(set(positions)) != len(positions):
        raise ValueError(f"axis {axis!r} names the same axis twice")
    return tuple(sorted(positions))
