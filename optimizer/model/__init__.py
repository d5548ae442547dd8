"""The optimisation model of MODEL.md, one module per group of constraint families.

The model modules import `pyomo.core as pyo`, not `pyomo.environ`: the model needs only the
modelling components, and `pyomo.environ` also loads every solver plugin, a noticeable part of
each `burden` process's start (benchmarks/README.md, "Figures formerly in docstrings").
"""

from optimizer.model.build import build_model

__all__ = ["build_model"]
