"""The Scalar: one number in a computational graph.

Every arithmetic operation on a Scalar returns a new Scalar that remembers
where it came from: its parents, and the local derivative of its value with
respect to each parent. The forward value and the local derivatives are
computed together, side by side, so each operation's whole rule is in one
place. `backward()` then walks the graph from the output back to the leaves
and applies the chain rule.
"""

import math
import numbers
import random

__all__ = ["Scalar"]


def _check_number(value):
    """Return value as a float, or raise a TypeError (or, for NaN and inf, a ValueError) that names it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Scalar needs a real number, got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        # NaN has no derivative to follow, and inf turns into NaN at the first inf - inf.
        raise ValueError(f"Scalar needs a finite number, got {value}")
    return value


class Scalar:
    # Every operation has one or two operands, so a node keeps at most two
    # parents, each with its local derivative, in plain slots. Slots (no
    # per-object __dict__, no tuples) keep a node small: graphs have tens of
    # thousands of nodes, and memory per node is time per node.
    __slots__ = ("value", "grad", "_parent1", "_local_grad1", "_parent2", "_local_grad2")

    # Tell NumPy to leave Scalars alone, so that `np.float64(2) * x`
    # falls back to Scalar.__rmul__ instead of building an object array.
    __array_ufunc__ = None

    def __init__(self, value):
        # A Scalar made by hand is a leaf: it has no parents.
        self.value = _check_number(value)
        self.grad = 0.0
        self._parent1 = self._parent2 = None
        self._local_grad1 = self._local_grad2 = 0.0

    @classmethod
    def from_random(cls, lower=0, upper=1):
        """A Scalar drawn uniformly from [lower, upper), using `random`'s global seed."""
        lower, upper = _check_number(lower), _check_number(upper)
        if not lower < upper:
            raise ValueError(f"from_random: lower must be less than upper, got lower={lower}, upper={upper}")
        return cls(random.uniform(lower, upper))

    @property
    def backwards_grad(self):
        """The name the original mlfz used for `grad` (read-only)."""
        return self.grad

    @property
    def _parents(self):
        """The parents this node was computed from, as a tuple (for reading)."""
        if self._parent1 is None:
            return ()
        if self._parent2 is None:
            return (self._parent1,)
        return (self._parent1, self._parent2)

    @property
    def _local_grads(self):
        """The local derivative with respect to each parent, in the same order (for reading)."""
        return (self._local_grad1, self._local_grad2)[:len(self._parents)]

    def __repr__(self):
        return f"Scalar({self.value})"

    # ---- the operations: forward value, then local derivatives ----------

    def __add__(self, other):
        if type(other) is Scalar:
            # d(a + b)/da = 1, d(a + b)/db = 1
            return _node(self.value + other.value, self, 1.0, other, 1.0)
        # A finite float skips the call: inputs are floats, and this path is hot.
        other = other if type(other) is float and -_INF < other < _INF else _constant(other)
        if other is NotImplemented:
            return other
        if other == 0.0:
            # `sum()` starts from 0: returning self keeps that from adding a node.
            return self
        # d(a + c)/da = 1
        return _node(self.value + other, self, 1.0)

    __radd__ = __add__

    def __mul__(self, other):
        if type(other) is Scalar:
            # d(a * b)/da = b, d(a * b)/db = a
            return _node(self.value * other.value, self, other.value, other, self.value)
        # A finite float skips the call: inputs are floats, and this path is hot.
        other = other if type(other) is float and -_INF < other < _INF else _constant(other)
        if other is NotImplemented:
            return other
        # d(a * c)/da = c
        return _node(self.value * other, self, other)

    __rmul__ = __mul__

    def __neg__(self):
        # d(-a)/da = -1
        return _node(-self.value, self, -1.0)

    def __sub__(self, other):
        if type(other) is Scalar:
            # d(a - b)/da = 1, d(a - b)/db = -1
            return _node(self.value - other.value, self, 1.0, other, -1.0)
        other = _constant(other)
        if other is NotImplemented:
            return other
        # d(a - c)/da = 1
        return _node(self.value - other, self, 1.0)

    def __rsub__(self, other):
        other = _constant(other)
        if other is NotImplemented:
            return other
        # d(c - a)/da = -1
        return _node(other - self.value, self, -1.0)

    def __truediv__(self, other):
        if type(other) is Scalar:
            if other.value == 0.0:
                raise ZeroDivisionError(f"division by zero: {self!r} / {other!r}")
            # d(a / b)/da = 1/b, d(a / b)/db = -a/b²
            return _node(self.value / other.value,
                         self, 1.0 / other.value, other, -self.value / other.value ** 2)
        other = _constant(other)
        if other is NotImplemented:
            return other
        if other == 0.0:
            raise ZeroDivisionError(f"division by zero: {self!r} / 0")
        # d(a / c)/da = 1/c
        return _node(self.value / other, self, 1.0 / other)

    def __rtruediv__(self, other):
        other = _constant(other)
        if other is NotImplemented:
            return other
        if self.value == 0.0:
            raise ZeroDivisionError(f"division by zero: {other!r} / {self!r}")
        # d(c / a)/da = -c/a²
        return _node(other / self.value, self, -other / self.value ** 2)

    def __pow__(self, other):
        if type(other) is Scalar:
            return _power(self, other)
        exponent = _constant(other)
        if exponent is NotImplemented:
            return exponent
        # d(a^n)/da = n * a^(n-1), computed by _power_rule with its edge cases.
        value, local = _power_rule(self.value, exponent)
        return _node(value, self, local)

    def __rpow__(self, other):
        base = _constant(other)
        if base is NotImplemented:
            return base
        return _power(Scalar(base), self)

    # ---- the backward pass ----------------------------------------------

    def backward(self):
        """Fill in `.grad` of every node this Scalar depends on.

        The gradients of the graph are reset first, so each call gives the
        gradients of this output alone, and calling it twice changes nothing.
        """
        order = _reverse_topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        # Children come before their parents in `order`, so a node's gradient
        # is complete (every consumer has added its share) before it is used.
        for node in order:
            # The chain rule: each parent's share is its local derivative
            # times this node's gradient.
            if node._parent1 is not None:
                node._parent1.grad += node._local_grad1 * node.grad
                if node._parent2 is not None:
                    node._parent2.grad += node._local_grad2 * node.grad


_new_scalar = object.__new__


def _node(value, parent1, local_grad1, parent2=None, local_grad2=0.0):
    """Make the Scalar an operation returns: its value, and each parent with
    the local derivative of the value with respect to that parent.

    It skips __init__'s type check: `value` comes from arithmetic on floats,
    and this is the hottest path in the library.
    """
    node = _new_scalar(Scalar)
    node.value = value
    node.grad = 0.0
    node._parent1 = parent1
    node._local_grad1 = local_grad1
    node._parent2 = parent2
    node._local_grad2 = local_grad2
    return node


def _constant(other):
    """A Python number as a float, or NotImplemented for anything else.

    NaN and inf are refused with a ValueError, as Scalar(nan) is.
    """
    # float and int first: the abstract numbers.Real check is ten times slower.
    if type(other) is float or type(other) is int or (isinstance(other, numbers.Real) and not isinstance(other, bool)):
        value = float(other)
        if not -_INF < value < _INF:
            raise ValueError(f"a Scalar operation got the constant {value}; constants must be finite numbers")
        return value
    return NotImplemented


_INF = math.inf


def _power_rule(a, n):
    """a ** n and its derivative with respect to a, n * a^(n-1), both finite and real.

    Raises ValueError for a negative a with a non-integer n (the result would
    be complex), ZeroDivisionError where the value or the derivative is
    infinite (0 ** -1, or x ** 0.5 at 0), and OverflowError past a float's range.
    """
    if a < 0.0 and not n.is_integer():
        raise ValueError(f"{a} ** {n} is not a real number")
    if a == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"0.0 ** {n} is infinite")
    try:
        value = a ** n
        if n == 0.0:
            return value, 0.0  # a^0 = 1 for every a, so it does not change
        if n == 1.0:
            return value, 1.0
        if a == 0.0:
            # n * a^(n-1) at a = 0: 0 for n > 1, infinite for 0 < n < 1.
            if n < 1.0:
                raise ZeroDivisionError(f"the derivative of x ** {n} is infinite at x = 0")
            return value, 0.0
        return value, n * a ** (n - 1.0)
    except OverflowError:
        raise OverflowError(f"{a} ** {n} is too large for a float") from None


def _power(base, exponent):
    """base ** exponent when the exponent is a Scalar too."""
    a, n = base.value, exponent.value
    value, d_base = _power_rule(a, n)
    # d(a^n)/dn = a^n * log(a): real only for a >= 0, and it tends to 0 as a -> 0.
    if a < 0.0:
        raise ValueError(f"d({a} ** n)/dn is not real for the negative base {a}")
    d_exponent = value * math.log(a) if a > 0.0 else 0.0
    return _node(value, base, d_base, exponent, d_exponent)


def _reverse_topological_order(root):
    """Every node `root` depends on, each listed before all of its parents.

    An iterative depth-first search, because a recursive one overflows
    Python's stack on graphs more than about a thousand nodes deep. A node is
    appended after all of its parents (a postorder), and the list is reversed.
    """
    postorder = []
    visited = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _PARENTS_DONE:
            # Everything pushed above the marker has been appended: the
            # node below it may follow its parents.
            postorder.append(stack.pop())
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            stack.append(_PARENTS_DONE)
            if node._parent1 is not None:
                stack.append(node._parent1)
                if node._parent2 is not None:
                    stack.append(node._parent2)
    postorder.reverse()
    return postorder


# Pushed onto the search stack above a node whose parents are being visited.
_PARENTS_DONE = object()
