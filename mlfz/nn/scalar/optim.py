"""The original mlfz trainer, `GradientDescent(model, loss_fn).run(xs, ys, lr, n_steps)`.

It is the shared `mlfz.nn.optim.GradientDescent` with a loss function and a
`run` method attached, so the same object can also be used step by step.
Momentum and Adam live in `mlfz.nn.optim`, for both engines.
"""

from .. import optim

__all__ = ["GradientDescent"]


class GradientDescent(optim.GradientDescent):
    """Full-batch gradient descent on a Model: predict, measure the loss, backpropagate, step."""

    def __init__(self, model, loss_fn=None, lr=0.01):
        if loss_fn is not None and not callable(loss_fn):
            raise TypeError(
                f"GradientDescent: loss_fn must be a function such as binary_cross_entropy, got {loss_fn!r}"
                " (pass a learning rate as lr=...)"
            )
        super().__init__(model, lr)
        self.model = model
        self.loss_fn = loss_fn

    def run(self, xs, ys, lr=None, n_steps=1000, batch_size=None, progress=None):
        """Take `n_steps` steps, of size `lr` if given; return the loss before each step.

        `batch_size` and `progress` are passed on to `mlfz.nn.optim.train`.
        """
        if self.loss_fn is None:
            raise ValueError("GradientDescent.run needs a loss: GradientDescent(model, loss_fn)")
        if lr is not None:
            self.lr = lr
        return optim.train(self.model, self.loss_fn, self, xs, ys, n_steps,
                           batch_size=batch_size, progress=progress)
