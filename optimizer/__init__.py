"""burden: optimise how a coalition of allies shares the cost of higher defence spending.

The Python API (docs/api.md)::

    from optimizer import load, solve, compare

    inst = load("instances/teach-coalition-choice.yaml")
    result = solve(inst, "all")          # result.countries, result.procurement, ... (pandas)
    table = compare(inst).coalitions     # comparison.csv as a DataFrame
"""

import sys as _sys
import types as _types

__version__ = "0.1.0"

__all__ = [
    "Comparison",
    "InstanceWarning",
    "SolverAccuracyWarning",
    "__version__",
    "compare",
    "load",
    "solve",
]


def __getattr__(name: str) -> object:
    """The API, imported on first use: `import optimizer` (every command, every worker process)
    stays free of it."""
    if name in __all__ and name != "__version__":
        from optimizer import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'optimizer' has no attribute {name!r}")


class _Package(_types.ModuleType):
    """Keeps `optimizer.solve` the API function once the submodule `optimizer/solve.py` (the
    HiGHS interface) is imported: Python's import system would otherwise rebind the package
    attribute to the submodule. `from optimizer.solve import ...` and `import_module` still
    reach the submodule (through sys.modules); only `import optimizer.solve` followed by
    attribute access does not, and nothing in the project does that."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in __all__ and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
