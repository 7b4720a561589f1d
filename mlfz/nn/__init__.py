"""Neural networks from zero: the Model base class and two autograd engines.

`mlfz.nn.scalar` works on single numbers; `mlfz.nn.tensor` is its vectorized
twin. Import each engine from its own package. Only what works the same for
both is re-exported here, so a star import never mixes the two: `Model`,
`gradcheck` and the progress display `LossPrinter`. The optimizers shared by
both engines are in `mlfz.nn.optim`.
"""

from .gradient_check import GradcheckResult, gradcheck
from .model import Model
from .progress import LossPrinter

__all__ = ["Model", "gradcheck", "GradcheckResult", "LossPrinter"]
