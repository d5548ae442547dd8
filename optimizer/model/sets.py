"""Index sets of the model, built once per (instance, member set) so constraint rules never filter.

Every country of A acts (MODEL.md v2, "Sets"): national sets range over A (without `alliance`,
A = S, as in version 1); programme contributions and facility draws over the members S only
(under coalition choice, the candidates that are not forbidden). A country outside A has no
variable and no row at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from optimizer.derive import Derived, closes, closes_common_debt, may_draw
from optimizer.instance.resolved import SOURCES, Instance


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
    """(c, t) for c ∈ S (the candidate pool under choice)."""
    purchases: tuple[tuple[str, str, str, int], ...]
    """(c, k, o, t) for national option o of area k, c ∈ A."""
    contributions: tuple[tuple[str, str, int], ...]
    """(c, j, t) for programmes j that member c is eligible for."""
    segments: tuple[tuple[str, str, int, int], ...]
    """(c, f, s, t): pain segment s of source f, c ∈ A."""
    draws: tuple[tuple[str, str, int], ...]
    """(c, h, t) where member c may draw on facility h."""
    shortfalls: tuple[tuple[str, int], ...]
    """(k, t) target points of areas with a shortfall penalty."""
    target_points: tuple[tuple[str, int], ...]
    """(k, t) for every area and target year."""
    closers: tuple[str, ...]
    """Members that are eligible for some unanimity facility but refuse common debt."""
    facility_open: bool
    """Fixed coalition: whether some facility is open (v1: the unanimity rule leaves it open)."""
    segments_of: dict[tuple[str, str, int], tuple[int, ...]]
    """(c, f, t) → the segment numbers s of that source."""
    variants: bool = False
    """Built for re-solving sub-coalitions of `members` by bound changes (`optimizer.pipeline.variants`)."""
    hard_shortfalls: tuple[tuple[str, int], ...] = ()
    """Variants only: shortfall variables of hard targets, at 0 unless a variant penalises them."""
    hard_target_penalty: float = 0.0
    actors: tuple[str, ...] = ()
    """A: every country that acts (the alliance; without it, `members`)."""
    actor_years: tuple[tuple[str, int], ...] = ()
    """(c, t) for c ∈ A."""
    outsiders: tuple[str, ...] = ()
    """O = A \\ S (under choice: alliance countries that cannot join)."""
    share_points: tuple[tuple[str, str, int], ...] = ()
    """(c, k, t): 10b rows, for outsiders (and, under choice with `alliance`, for candidates)."""
    share_shortfalls: tuple[tuple[str, str, int], ...] = ()
    """(c, k, t) of `share_points` whose area has a shortfall penalty."""
    facility_closers: dict[str, tuple[str, ...]] | None = None
    """h → the members that would shut unanimity facility h."""
    open_facilities: tuple[str, ...] = ()
    """Fixed coalition: the facilities left open by their unanimity rule (all under choice)."""

    alliance: bool = False
    """Whether the instance has `alliance`."""

    @property
    def alliance_choice(self) -> bool:
        """Coalition choice with `alliance`: y_c = 0 makes c an outsider, not absent."""
        return self.choice and self.alliance


def _purchases(instance: Instance, actors: tuple[str, ...], years: tuple[int, ...]) -> tuple:
    """(c, k, o, t) for every national option o of area k, c ∈ A."""
    return tuple(
        (c, k, opt.id, t)
        for c in actors
        for k, area in instance.capabilities.items()
        for opt in area.options
        for t in years
    )


def _contributions(instance: Instance, members: tuple[str, ...], years: tuple[int, ...]) -> tuple:
    """(c, j, t) for the programmes j that member c is eligible for."""
    return tuple(
        (c, j, t)
        for c in members
        for j, prog in instance.programmes.items()
        if prog.eligible is None or c in prog.eligible
        for t in years
    )


def _segments(
    instance: Instance, actors: tuple[str, ...], years: tuple[int, ...]
) -> tuple[tuple, dict[tuple[str, str, int], tuple[int, ...]]]:
    """(c, f, s, t) for every pain segment, and (c, f, t) → its segment numbers."""
    segments = []
    segments_of: dict[tuple[str, str, int], tuple[int, ...]] = defaultdict(tuple)
    for c in actors:
        for f in SOURCES:
            curve = instance.countries[c].pain.get(f, ())
            for t in years:
                segments_of[c, f, t] = tuple(range(len(curve)))
                segments.extend((c, f, s, t) for s in range(len(curve)))
    return tuple(segments), dict(segments_of)


@dataclass(frozen=True)
class _FacilitySets:
    facility_closers: dict[str, tuple[str, ...]]
    open_facilities: tuple[str, ...]
    closers: tuple[str, ...]
    draws: tuple[tuple[str, str, int], ...]


def _facility_sets(
    instance: Instance, members: tuple[str, ...], years: tuple[int, ...], open_all: bool
) -> _FacilitySets:
    """Who would shut each unanimity facility, the facilities left open (all of them when
    `open_all`: coalition choice or variants decide it later), and the draws (c, h, t)."""
    facility_closers = {
        h: tuple(c for c in members if closes(instance, f, c))
        for h, f in instance.facilities.items()
    }
    open_facilities = tuple(h for h in instance.facilities if open_all or not facility_closers[h])
    closers = tuple(c for c in members if closes_common_debt(instance, c))
    draws = tuple(
        (c, h, t)
        for c in members
        for h in open_facilities
        if may_draw(instance, instance.facilities[h], c)
        for t in years
    )
    return _FacilitySets(facility_closers, open_facilities, closers, draws)


def _target_sets(
    instance: Instance, variants: bool, hard_target_penalty: float | None
) -> tuple[tuple, tuple, tuple]:
    """The target points (k, t), the hard ones given a shortfall variable (variants with a
    penalty only), and every (k, t) with a shortfall variable."""
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
    return target_points, hard_shortfalls, shortfalls


def _share_sets(
    instance: Instance,
    own_share: tuple[str, ...],
    target_points: tuple[tuple[str, int], ...],
) -> tuple[tuple, tuple]:
    """(c, k, t) of the 10b rows for the countries in `own_share`, and those with a penalty."""
    own_share = instance.in_country_order(list(own_share))
    share_points = tuple((c, k, t) for c in own_share for k, t in target_points)
    share_shortfalls = tuple(
        (c, k, t)
        for c, k, t in share_points
        if instance.capabilities[k].shortfall_penalty is not None
    )
    return share_points, share_shortfalls


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
    With `alliance`, every alliance country acts (national variables and rows); only members
    contribute to programmes and draw on facilities (MODEL.md v2, "Who acts").
    """
    years = derived.years
    actors = instance.actors(members)
    member_set = set(members)
    segments, segments_of = _segments(instance, actors, years)
    fac = _facility_sets(instance, members, years, choice or variants)
    target_points, hard_shortfalls, shortfalls = _target_sets(
        instance, variants, hard_target_penalty
    )
    outsiders = tuple(c for c in actors if c not in member_set)
    own_share = outsiders + (members if choice and instance.alliance is not None else ())
    share_points, share_shortfalls = _share_sets(instance, own_share, target_points)
    return ModelSets(
        members=members,
        choice=choice,
        required=instance.choice.required if choice and instance.choice else (),
        years=years,
        member_years=tuple((c, t) for c in members for t in years),
        purchases=_purchases(instance, actors, years),
        contributions=_contributions(instance, members, years),
        segments=segments,
        draws=fac.draws,
        shortfalls=shortfalls,
        target_points=target_points,
        closers=fac.closers,
        facility_open=bool(fac.open_facilities),
        segments_of=segments_of,
        variants=variants,
        hard_shortfalls=hard_shortfalls,
        hard_target_penalty=hard_target_penalty or 0.0,
        actors=actors,
        actor_years=tuple((c, t) for c in actors for t in years),
        outsiders=outsiders,
        share_points=share_points,
        share_shortfalls=share_shortfalls,
        facility_closers=fac.facility_closers,
        open_facilities=fac.open_facilities,
        alliance=instance.alliance is not None,
    )
