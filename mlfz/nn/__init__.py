"""Neural networks from zero: the Model base class and two autograd engines.

`mlfz.nn.scalar` works on single numbers; `mlfz.nn.tensor` is its vectorized
twin. Import each engine from its own package: only `Model` is re-exported
here, so a star import never mixes the two.
"""

from .model import Model

__all__ = ["Model"]
