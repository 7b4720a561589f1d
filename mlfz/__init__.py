"""mlfz: the library that the book Machine Learning From Zero builds, chapter by chapter."""

__all__ = ["nn", "datasets", "metrics", "models", "plot"]
__version__ = "0.2.0"
