"""Result tables: extraction from a solve, writing and reading result folders (no rendering:
the report is the pipeline's, `optimizer.pipeline.folder`).

The names are imported on first use (PEP 562): `optimizer.results.manifest` is needed by
commands that never extract a result, and `extract` imports pandas and the model.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Result", "ResultExistsError", "extract", "read_result"]
_WHERE = {
    "Result": "optimizer.results.extract",
    "extract": "optimizer.results.extract",
    "ResultExistsError": "optimizer.results.write",
    "read_result": "optimizer.results.read",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'optimizer.results' has no attribute {name!r}")
