"""Commands beyond validate/solve/compare, one module per topic.

Each module registers its commands on `optimizer.cli.common.app` when imported; this package
imports every module listed in `MODULES`, and `optimizer.cli` imports this package.
"""

from __future__ import annotations

import importlib

MODULES: list[str] = ["realdata", "coalitions", "explain", "sweep", "verify", "docs", "schema"]

for _name in MODULES:
    importlib.import_module(f"optimizer.cli.commands.{_name}")
