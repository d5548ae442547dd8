"""Index sets of the model, built once per (instance, member set) so constraint rules never filter.

Only members act (MODEL.md, "Sets"): every set below ranges over the members S only (under
coalition choice, over the candidates that are not forbidden), so a country outside the
coalition has no variable and no row at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from optimizer.derive import Derived, can_draw_common_debt, closes_common_debt
from optimizer.instance.model import SOURCES, Instance


@dataclass(frozen=True)
class ModelSets:
    """The index sets of one model."""

    members: tuple[str, ...]
    """S for a fixed coalition; the candidates able to join under coalition choice."""
    choice: bool
    """Whether membership is decided (y_c binaries)."""
    required: tuple[str, ...]
    years: tuple[int, ...]
    member_years: tuple[tuple[str, int], ...]
    purchases: tuple[tuple[str, str, str, int], ...]
    """(c, k, o, t) for national option o of area k."""
    contributions: tuple[tuple[str, str, int], ...]
    """(c, j, t) for programmes j that c is eligible for."""
    segments: tuple[tuple[str, str, int, int], ...]
    """(c, f, s, t): pain segment s of source f."""
    draws: tuple[tuple[str, int], ...]
    """(c, t) where c may draw common debt."""
    shortfalls: tuple[tuple[str, int], ...]
    """(k, t) target points of areas with a shortfall penalty."""
    target_points: tuple[tuple[str, int], ...]
    """(k, t) for every area and target year."""
    closers: tuple[str, ...]
    """Members that are eligible for a unanimity facility but refuse common debt."""
    facility_open: bool
    """Fixed coalition: whether the unanimity rule leaves the facility open."""
    segments_of: dict[tuple[str, str, int], tuple[int, ...]]
    """(c, f, t) → the segment numbers s of that source."""
    variants: bool = False
    """Built for re-solving sub-coalitions of `members` by bound changes (`optimizer.variants`)."""
    hard_shortfalls: tuple[tuple[str, int], ...] = ()
    """Variants only: shortfall variables of hard targets, at 0 unless a variant penalises them."""
    hard_target_penalty: float = 0.0


def build_sets(
    instance: Instance,
    derived: Derived,
    members: tuple[str, ...],
    *,
    choice: bool = False,
    variants: bool = False,
    hard_target_penalty: float | None = None,
) -> ModelSets:
    """Index sets for `members` (a fixed coalition, or the candidate pool under choice).

    With `variants`, the sets serve every sub-coalition of `members`: common-debt draws exist even
    where a member would shut a unanimity facility (a variant closes it by bounds), and with
    `hard_target_penalty` every hard target gets a shortfall variable too (held at 0 by default).
    """
    years = derived.years
    member_years = tuple((c, t) for c in members for t in years)
    purchases = tuple(
        (c, k, opt.id, t)
        for c in members
        for k, area in instance.capabilities.items()
        for opt in area.options
        for t in years
    )
    contributions = tuple(
        (c, j, t)
        for c in members
        for j, prog in instance.programmes.items()
        if prog.eligible is None or c in prog.eligible
        for t in years
    )
    segments = []
    segments_of: dict[tuple[str, str, int], tuple[int, ...]] = defaultdict(tuple)
    for c in members:
        for f in SOURCES:
            curve = instance.countries[c].pain.get(f, ())
            for t in years:
                segments_of[c, f, t] = tuple(range(len(curve)))
                segments.extend((c, f, s, t) for s in range(len(curve)))
    closers = tuple(c for c in members if closes_common_debt(instance, c))
    facility_open = instance.common_debt is not None and (choice or variants or not closers)
    draws = tuple(
        (c, t)
        for c in members
        if facility_open and can_draw_common_debt(instance, c)
        for t in years
    )
    target_points = tuple((k, t) for k, area in instance.capabilities.items() for t in area.targets)
    hard = tuple(
        (k, t) for k, t in target_points if instance.capabilities[k].shortfall_penalty is None
    )
    hard_shortfalls = hard if variants and hard_target_penalty is not None else ()
    shortfalls = tuple(
        (k, t)
        for k, t in target_points
        if instance.capabilities[k].shortfall_penalty is not None or (k, t) in hard_shortfalls
    )
    required = instance.choice.required if choice and instance.choice else ()
    return ModelSets(
        members=members,
        choice=choice,
        required=required,
        years=years,
        member_years=member_years,
        purchases=purchases,
        contributions=contributions,
        segments=tuple(segments),
        draws=draws,
        shortfalls=shortfalls,
        target_points=target_points,
        closers=closers,
        facility_open=facility_open,
        segments_of=dict(segments_of),
        variants=variants,
        hard_shortfalls=hard_shortfalls,
        hard_target_penalty=hard_target_penalty or 0.0,
    )
