"""The trainer `GradientDescent(model, loss_fn).run(xs, ys, lr=..., n_steps=...)` for Tensor models.

It is the very class that `mlfz.nn.scalar` offers: the training loop
(`mlfz.nn.optim.train`) feeds NumPy arrays to a model as one batch, so the
same code trains Scalar and Tensor models. Momentum and Adam are in
`mlfz.nn.optim`, for both engines.
"""

from ..scalar.optim import GradientDescent

__all__ = ["GradientDescent"]
