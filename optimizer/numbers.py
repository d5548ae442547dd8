"""How numbers are written: one formatter for the console and the reports, one CSV format.

`fmt` is what a planner reads (the terminal summary, report.md/html, comparison.md): significant
digits, thousands separated, never fewer digits than the integer part, `–` for none. CSV files
carry `CSV_FLOAT`: 12 significant digits, enough for every figure the model computes (HiGHS
works to ~1e-9 relative) and free of binary noise (`651.9694000000001` is written `651.9694`);
`burden verify` reads them back within its tolerances.
"""

from __future__ import annotations

import math

#: `DataFrame.to_csv(float_format=CSV_FLOAT)`: 12 significant digits.
CSV_FLOAT = "%.12g"


def fmt(value: object, digits: int = 3) -> str:
    """A number for reading: `digits` significant digits (more if the integer part has more).

    fmt(2565.12345, 6) = "2,565.12"; fmt(2565.12345) = "2,565"; fmt(0.0123456) = "0.0123";
    fmt(None) = fmt(nan) = "–"; booleans are yes/no; integers are written whole.
    """
    if value is None or type(value).__name__ == "NAType":  # pandas' NA, without importing pandas
        return "–"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if isinstance(value, int) or type(value).__name__.startswith(("int", "uint")):
        return f"{int(value):,}"
    try:
        x = float(value)  # numpy floats too
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    whole = int(math.floor(math.log10(abs(x)))) + 1  # digits before the point
    if abs(x) >= 1000:
        return f"{x:,.{max(0, digits - whole)}f}"
    return f"{x:.{max(digits, whole)}g}"
