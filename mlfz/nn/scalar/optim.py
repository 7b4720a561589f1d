"""Optimizers: the training loop, written once."""

__all__ = ["GradientDescent"]


class GradientDescent:
    """Full-batch gradient descent: predict, measure the loss, backpropagate, step."""

    def __init__(self, model, loss_fn):
        self.model = model
        self.loss_fn = loss_fn

    def run(self, xs, ys, lr=0.01, n_steps=1000):
        """Take `n_steps` steps of size `lr`; return the loss before each step."""
        if n_steps < 0:
            raise ValueError(f"n_steps must be at least 0, got {n_steps}")
        losses = []
        for _ in range(n_steps):
            loss = self.loss_fn([self.model(x) for x in xs], ys)
            loss.backward()
            self.model.gradient_update(lr)
            losses.append(loss.value)
        return losses
