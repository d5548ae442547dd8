"""burden: optimise how a coalition of allies shares the cost of higher defence spending.

The Python API (docs/api.md)::

    from optimizer import load, solve, compare

    inst = load("instances/teach-coalition-choice.yaml")
    result = solve(inst, "all")          # result.countries, result.procurement, ... (pandas)
    table = compare(inst).coalitions     # comparison.csv as a DataFrame
"""

from optimizer.version import __version__

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
