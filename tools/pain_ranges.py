"""Each country's pain over every equally optimal plan: is "who bears it" decided by the model?

    python tools/pain_ranges.py INSTANCE --coalition NAME [--scenario S] [--set PATH=VALUE ...]
        [--out FILE.csv [--force]]

MODEL.md's objective fixes the alliance's total pain, and the tie-break fixes how much is bought;
neither fixes how the pain is split among countries. Where pain curves tie at the margin (the
same weight on the last segment used, or a shared cap such as the common bonds that several
members value alike), many plans share both optima and differ only in who pays: the plan
`burden solve` writes is one vertex of that face, and a change of solver settings can write
another. This tool solves the coalition as `burden solve` does, then holds total pain and
procurement at their optima and minimises and maximises each acting country's
discounted pain over what is left: two LPs per country, warm started. (Total pain is held
as the tie-break holds it, within 1e-7 relative, so a range can include plans up to that much
worse; on the real instances that is below 0.001 pain.) A country whose range is
wide has a split decided by the solver, not by the instance.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from optimizer.derive import derive  # noqa: E402
from optimizer.instance import Instance  # noqa: E402
from optimizer.instance.overrides import load_instance_with  # noqa: E402
from optimizer.model import build_model  # noqa: E402
from optimizer.options import SolveOptions  # noqa: E402
from optimizer.pipeline.variants import pain_matrix  # noqa: E402
from optimizer.solver import highs  # noqa: E402

#: How far the optima are relaxed while the ranges are taken (relative and absolute).
HOLD = 1e-9


def pain_ranges(instance: Instance, coalition: str) -> pd.DataFrame:
    """One row per acting country: its pain in the written plan and its least and most pain
    over the plans with the same total pain and the same procurement."""
    if instance.objective != "total_pain":
        raise ValueError("pain ranges are defined here for the total_pain objective only")
    derived = derive(instance)
    pool = instance.coalitions[coalition]
    m = build_model(instance, derived, pool)
    session = highs.HighsSession(m, instance.objective, SolveOptions())
    session.interruptible = False
    outcome = session.solve(collect=False)
    if outcome.status != "optimal":
        raise RuntimeError(f"{coalition}: {outcome.status}")
    sets = m.burden_terms.sets
    actors = list(sets.actors)
    matrix = pain_matrix(m, session.c, actors, instance, derived)
    vectors = {c: matrix[i] for i, c in enumerate(actors)}
    x = session.column_values()
    written = {c: float(vectors[c] @ x) for c in actors}
    # the face: total pain at its optimum (held by the tie-break at 1e-7 relative, as MODEL.md
    # says; held here without one), procurement at its least
    if session.tie_break:
        procured = session.objective_value("procurement_objective", x)
        session.hold("procurement_objective", procured, HOLD, HOLD)
    else:
        session.hold("total_pain_objective", outcome.objective, HOLD, HOLD)
    rows = []
    for c in actors:
        session.c.costs["pain of c"] = (vectors[c], 0.0)
        session.c.costs["minus pain of c"] = (-vectors[c], 0.0)
        low = high = float("nan")
        if session.minimise("pain of c") == "optimal":
            low = session.objective_value("pain of c")
        if session.minimise("minus pain of c") == "optimal":
            high = -session.objective_value("minus pain of c")
        rows.append(
            {
                "country": c,
                "member": c in sets.members,
                "pain": written[c],
                "pain_min": low,
                "pain_max": high,
                "range": high - low,
            }
        )
    return pd.DataFrame(rows).sort_values(["range", "country"], ascending=[False, True])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--coalition", required=True)
    parser.add_argument("--scenario")
    parser.add_argument("--set", dest="assignments", action="append", default=[])
    parser.add_argument("--out", type=Path, help="also write the table as CSV")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    args = parser.parse_args(argv)
    if args.out is not None and args.out.exists() and not args.force:
        parser.error(f"{args.out} exists; pass --force to replace it")
    instance = load_instance_with(args.instance, tuple(args.assignments), args.scenario)
    table = pain_ranges(instance, args.coalition)
    wide = table[table["range"] > 1e-3 * table["pain"].abs().clip(lower=1)]
    print(
        f"{args.instance.name} · {args.coalition}: {len(wide)} of {len(table)} countries' pain "
        "is not decided by the model (range over equally optimal plans > 0.1 %)"
    )
    if len(wide):
        print(wide.round(2).to_string(index=False))
    if args.out is not None:
        table.to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
