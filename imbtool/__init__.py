"""imbtool: fast, scikit-learn-compatible tools for class-imbalanced tabular learning."""

__version__ = "0.1.0.dev0"

__all__ = ["__version__"]
