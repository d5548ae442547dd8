"""burden: optimise how a coalition of allies shares the cost of higher defence spending."""

__version__ = "0.1.0"
