"""A vectorized reverse-mode autograd engine: Tensor, its functions, losses and an optimizer.

`Tensor` is the vectorized twin of `mlfz.nn.scalar.Scalar`. Its functions and
losses have the same names as Scalar's, so they live in submodules and are
imported from there:

    from mlfz.nn.tensor import Tensor
    from mlfz.nn.tensor.functional import sigmoid, tanh
    from mlfz.nn.tensor.loss import binary_cross_entropy
    from mlfz.nn.tensor.optim import GradientDescent

`from mlfz.nn.tensor import *` gives `Tensor` and nothing else. After
`from mlfz.nn.scalar import *` it therefore cannot silently replace Scalar's
`sigmoid` with the Tensor one (exporting the submodules would not help
either: `loss` and `optim` are names a reader already uses for other things).
"""

from . import functional, loss, optim
from .core import Tensor

__all__ = ["Tensor"]
