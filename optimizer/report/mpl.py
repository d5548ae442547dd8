"""matplotlib for writing files (the Agg backend), imported without Pyomo's import hook.

Pyomo registers a hook on `import matplotlib` (`pyomo.common.dependencies`): in a process that
has imported Pyomo, the first import of matplotlib anywhere also imports `matplotlib.pylab` and
the backends, about 0.25 s more per process here (`python -c`, Pyomo 6.10.1). We only draw into
files, so the hook is removed before matplotlib is imported; Pyomo's own deferred `matplotlib`
object, which burden never uses, would still resolve itself on first use.
"""

from __future__ import annotations

import sys

_dependencies = sys.modules.get("pyomo.common.dependencies")
if _dependencies is not None:
    _finder = getattr(_dependencies, "DeferredImportCallbackFinder", None)
    getattr(_finder, "_callbacks", {}).pop("matplotlib", None)

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["matplotlib", "plt"]
