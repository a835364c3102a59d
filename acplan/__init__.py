"""acplan: watch, score and discuss a Thai local government's Anti-Corruption Action Plan."""

__version__ = "0.1.0"
