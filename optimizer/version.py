"""The package's version, in a module of its own so that the lowest layers can read it without
importing `optimizer/__init__.py` (whose lazy attributes reach the API)."""

__version__ = "0.1.0"
