"""Read a written result folder back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optimizer.results.extract import Result


def read_result(folder: Path) -> Result:
    """A written result folder back as a `Result` (summary, the spec's tables, further tables)."""
    # here, not at the top: pandas and the model's sets are not needed to start a command
    import pandas as pd

    from optimizer.results.extract import Result

    folder = Path(folder)
    ids = {"country": str, "capability": str, "route": str, "source": str, "origin": str}

    def table(name: str) -> pd.DataFrame:
        path = folder / name
        if not path.is_file():
            return pd.DataFrame()
        return pd.read_csv(path, dtype=ids, keep_default_na=False, na_values=[""])

    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    spec = {"countries.csv", "procurement.csv", "capabilities.csv", "binding.csv"}
    result = Result(
        summary,
        table("countries.csv"),
        table("procurement.csv"),
        table("capabilities.csv"),
        table("binding.csv"),
    )
    for path in sorted(folder.glob("*.csv")):
        if path.name not in spec:
            result.tables[path.stem] = table(path.name)
    return result
