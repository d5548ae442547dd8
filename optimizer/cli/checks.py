"""The checks every solve runs on what it wrote, as the terminal shows them.

After `burden solve` (`check_result`) and `burden compare` (`verify_folders`): each result
folder is re-checked against every constraint of MODEL.md (`optimizer.verify`), HiGHS's
numerical trouble is reported with its primal and dual infeasibility measures, and a MILP
stopped by a limit says which plan it wrote and its gap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from optimizer.instance import Instance
from optimizer.stages import stage
from optimizer.verify import VerifyError, VerifyReport, verify_folder

#: Violations printed before "... and N more".
SHOWN = 20


def print_report(report: VerifyReport, out: Console) -> None:
    """One line when everything holds; else the violations, by constraint family."""
    if report.ok:
        out.print(escape(report.summary_line()), highlight=False)
        return
    out.print(f"[red]{escape(report.summary_line())}[/red]", highlight=False)
    for violation in report.violations[:SHOWN]:
        out.print(f"  {escape(str(violation))}", highlight=False, soft_wrap=True)
    if len(report.violations) > SHOWN:
        out.print(f"  ... and {len(report.violations) - SHOWN} more")


def check_result(result: Any, folder: Path, instance: Instance, out: Console) -> bool:
    """What `burden solve` prints after writing: numerics, the best plan of a stopped MILP, and
    the verification of the folder. False when the plan breaks a constraint."""
    from optimizer.report.terminal import numerics_line  # pandas: only once a plan exists

    summary = result.summary
    line = numerics_line(summary)
    if line:
        out.print(line, highlight=False)
    best = summary.get("best_found")
    if best:
        out.print(
            f"stopped by a limit: the best plan found is written (objective "
            f"{best['objective']:.6g}, gap {best['mip_gap']:.3g}, bound {best['dual_bound']:.6g})",
            highlight=False,
        )
    stage("verifying the result folder against the instance")
    try:
        report = verify_folder(folder, instance)
    except VerifyError as exc:
        out.print(f"[red]verification failed[/red]: {escape(str(exc))}")
        return False
    print_report(report, out)
    return report.ok


def verify_folders(out_dir: Path, names: list[str], instance: Instance, out: Console,
                   slugs: dict[str, str] | None = None) -> bool:  # fmt: skip
    """`burden verify` on each coalition folder of a comparison; one line unless one fails.
    `slugs`: each name's folder (default `unique_slugs(names)`, as `SweepFolder` names them)."""
    from optimizer.slugs import unique_slugs

    slugs = slugs or unique_slugs(names)
    checks, failed = 0, []
    for name in names:
        try:
            report = verify_folder(Path(out_dir) / slugs[name], instance)
        except VerifyError as exc:
            out.print(f"[red]verification failed[/red] for {escape(name)}: {escape(str(exc))}")
            failed.append(name)
            continue
        checks += report.checks
        if not report.ok:
            out.print(f"{escape(name)}: ", end="")
            print_report(report, out)
            failed.append(name)
    if not failed:
        out.print(f"verified: all {checks} checks passed in {len(names)} result folders")
    return not failed
