"""The explanation under a solve summary in the terminal: what binds, fairness, or why no plan."""

from __future__ import annotations

from rich.console import Console

from optimizer.analysis.fairness import oz_verdict


def explanation_lines(result) -> list[str]:
    """Plain lines (no markup): for an optimal result what binds and the fairness statistics;
    for an infeasible one the diagnosis (see `optimizer.analysis.diagnose`)."""
    summary = result.summary
    if summary["status"] == "optimal":
        lines = []
        binds = summary.get("what_binds") or []
        if binds:
            lines.append(
                "What binds (pain saved if the limit were one unit looser; every binding limit "
                "is in binding.csv):"
            )
            lines += [f"  {line}" for line in binds]
        else:
            lines.append("What binds: nothing (no limit or requirement is active).")
        fairness = summary.get("fairness") or {}
        if fairness:
            gini = fairness.get("gini_pain_pct_gdp")
            text = f"Fairness: Gini of pain in % of GDP {gini:.2f}" if gini is not None else ""
            oz = oz_verdict(fairness.get("oz_rho"), fairness.get("oz_p"))
            lines.append(f"{text} · Olson–Zeckhauser test: {oz} (fairness.csv)".lstrip(" ·"))
        return lines
    infeasibility = summary.get("infeasibility")
    if infeasibility:  # the summary's message already names what is in conflict
        return [x for x in infeasibility.get("lines") or [] if not x.startswith("in conflict")]
    return []


def print_explanation(result, console: Console) -> None:
    """Print `explanation_lines` (without rich markup: the lines may hold brackets)."""
    for line in explanation_lines(result):
        console.print(line, markup=False, highlight=False)
