"""How good is a classifier? Measures that the chapters report after training."""

import math

__all__ = ["accuracy"]


def accuracy(predict, xs, ys, threshold=0.5):
    """The fraction of points whose predicted class is their label.

    `predict` maps a point to the probability of class 1: a float, or
    anything with a `.value`, such as the Scalar a Model returns. A point is
    predicted to be in class 1 when that probability is above `threshold`.
    """
    if len(xs) != len(ys):
        raise ValueError(f"accuracy: got {len(xs)} points but {len(ys)} labels")
    if len(xs) == 0:
        raise ValueError("accuracy: got no points")
    hits = 0
    for x, y in zip(xs, ys):
        if y not in (0, 1):
            raise ValueError(f"accuracy needs labels 0 or 1, got {y!r}")
        prediction = predict(x)
        p = float(getattr(prediction, "value", prediction))
        if math.isnan(p):
            raise ValueError(f"accuracy: the prediction at {x} is NaN")
        hits += (p > threshold) == (y == 1)
    return hits / len(xs)
