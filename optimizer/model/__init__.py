"""The optimisation model of MODEL.md, one module per group of constraint families."""

from optimizer.model.build import build_model

__all__ = ["build_model"]
