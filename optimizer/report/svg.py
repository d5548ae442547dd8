"""Charts as SVG text: the report's figures, drawn by the browser (or any Markdown viewer).

Why not matplotlib here: in a NATO-size `burden solve`, importing matplotlib took 0.7–0.9 s and
drawing five 32-country figures 1.6–1.8 s, more than half of the whole run; writing the same
figures as SVG text takes a few milliseconds and needs no import beyond the standard library
(measurements in benchmarks/README.md, "The planner's wait"). The SVG is embedded in report.html
(self-contained, offline) and written to plots/*.svg for report.md.

Two chart kinds cover the report: small multiples of line charts (one panel per member, so 32
members never share a colour cycle) and horizontal rows of bars and markers (funding mix, debt
against room, capability against target, shares against references).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
INK = "#222"
GRID = "#e3e3e3"
LINE = "#4C72B0"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        high = low + 1.0
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step + 1e-9) * step
    ticks, value = [], start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12) + 0.0)
        value += step
    return ticks


def tick_label(value: float) -> str:
    """A tick: no trailing zeros, thousands separated."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.6g}"


class Canvas:
    """An SVG document assembled as text; coordinates in pixels, y downwards."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width, self.height, self.title = width, height, title
        self.parts: list[str] = []

    def text(self, x: float, y: float, text: str, *, size: float = 11, anchor: str = "start",
             colour: str = INK, weight: str = "normal", rotate: float = 0, baseline: str = "middle"
             ) -> None:  # fmt: skip
        turn = f' transform="rotate({rotate:g} {x:.1f} {y:.1f})"' if rotate else ""
        bold = ' font-weight="bold"' if weight != "normal" else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}" fill="{colour}"{bold}{turn}>{escape(text)}</text>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, *, colour: str = INK,
             width: float = 1, dash: str = "") -> None:  # fmt: skip
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width:g}"{dashed}/>'
        )

    def rect(self, x: float, y: float, w: float, h: float, colour: str, *, title: str = "",
             stroke: str = "") -> None:  # fmt: skip
        edge = f' stroke="{stroke}"' if stroke else ""
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
            f'fill="{colour}"{edge}>{tip}</rect>'
        )

    def polyline(self, points: Sequence[tuple[float, float]], *, colour: str = LINE,
                 width: float = 1.6, dash: str = "") -> None:  # fmt: skip
        if not points:
            return
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width:g}"'
            f"{dashed}/>"
        )

    def marker(self, x: float, y: float, shape: str, colour: str, size: float = 4.5, *,
               title: str = "") -> None:  # fmt: skip
        tip = f"<title>{escape(title)}</title>" if title else ""
        s = size
        if shape == "square":
            body = f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}"'
        elif shape == "diamond":
            body = f'<polygon points="{x:.1f},{y - s * 1.3:.1f} {x + s * 1.3:.1f},{y:.1f} ' + (
                f'{x:.1f},{y + s * 1.3:.1f} {x - s * 1.3:.1f},{y:.1f}"'
            )
        elif shape == "triangle":
            body = f'<polygon points="{x:.1f},{y - s * 1.3:.1f} {x + s * 1.2:.1f},' + (
                f'{y + s:.1f} {x - s * 1.2:.1f},{y + s:.1f}"'
            )
        else:
            body = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s:.1f}"'
        self.parts.append(f'{body} fill="{colour}" stroke="white" stroke-width="0.8">{tip}'
                          f"</{body.split()[0][1:]}>")  # fmt: skip

    def render(self) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" '
            f'height="{self.height:.0f}" viewBox="0 0 {self.width:.0f} {self.height:.0f}" '
            f'font-family="{FONT}" role="img"><title>{escape(self.title)}</title>'
            f'<rect width="100%" height="100%" fill="white"/>' + "".join(self.parts) + "</svg>\n"
        )


def _legend(canvas: Canvas, x: float, y: float, items: Sequence[tuple[str, str, str]]) -> None:
    """A one-line legend: (label, colour, kind) with kind bar, line, dash or a marker shape."""
    for label, colour, kind in items:
        if kind == "bar":
            canvas.rect(x, y - 5, 14, 10, colour)
        elif kind in ("line", "dash"):
            canvas.line(
                x, y, x + 16, y, colour=colour, width=2, dash="5,3" if kind == "dash" else ""
            )
        else:
            canvas.marker(x + 7, y, kind, colour)
        canvas.text(x + 20, y, label, size=11)
        x += 30 + 6.2 * len(label)


@dataclass
class Panel:
    """One small multiple: a name, x values and one or more series on them."""

    name: str
    x: list[float]
    series: list[tuple[list[float | None], str, str]] = field(default_factory=list)
    """(y values, colour, dash: '' solid or e.g. '5,3')."""
    note: str = ""


def small_multiples(
    panels: Sequence[Panel],
    *,
    title: str,
    y_label: str,
    legend: Sequence[tuple[str, str, str]] = (),
    columns: int = 6,
) -> str:
    """A grid of small line charts with one shared y scale (so panels compare at a glance)."""
    columns = max(1, min(columns, len(panels)))
    rows = max(1, math.ceil(len(panels) / columns))
    pw, ph, gap_x, gap_y = 150.0, 92.0, 14.0, 34.0
    left, top, bottom = 58.0, 62.0, 34.0
    width = left + columns * pw + (columns - 1) * gap_x + 16
    height = top + rows * ph + (rows - 1) * gap_y + bottom
    canvas = Canvas(width, height, title)
    canvas.text(left, 18, title, size=14, weight="bold")
    _legend(canvas, left, 40, legend)
    values = [v for p in panels for ys, _c, _d in p.series for v in ys if v is not None]
    xs = [x for p in panels for x in p.x]
    y_max = max([*values, 0.0]) * 1.05 or 1.0
    y_ticks = [t for t in nice_ticks(0.0, y_max, 3) if t <= y_max * 1.0001]
    x_lo, x_hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    span = (x_hi - x_lo) or 1.0
    for i, panel in enumerate(panels):
        col, row = i % columns, i // columns
        x0, y0 = left + col * (pw + gap_x), top + row * (ph + gap_y) + 14

        def px(x: float, x0: float = x0) -> float:
            if x_hi <= x_lo:  # one year: in the middle of the panel
                return x0 + pw / 2
            return x0 + 4 + (x - x_lo) / span * (pw - 8)

        def py(y: float, y0: float = y0) -> float:
            return y0 + ph - y / y_max * ph

        canvas.text(x0, y0 - 8, panel.name, size=11, weight="bold")
        if panel.note:
            canvas.text(x0 + pw, y0 - 8, panel.note, size=10, anchor="end", colour="#666")
        canvas.rect(x0, y0, pw, ph, "#fafafa", stroke=GRID)
        for t in y_ticks:
            canvas.line(x0, py(t), x0 + pw, py(t), colour=GRID)
            if col == 0:
                canvas.text(x0 - 4, py(t), tick_label(t), size=10, anchor="end")
        for ys, colour, dash in panel.series:
            points = [(px(x), py(y)) for x, y in zip(panel.x, ys, strict=True) if y is not None]
            if len(points) == 1:  # one year: a line of one point would not show
                shape = "square" if dash else "circle"
                canvas.marker(*points[0], shape, colour, size=3.5)
            canvas.polyline(points, colour=colour, width=1.4 if dash else 1.8, dash=dash)
        if row == rows - 1 or i + columns >= len(panels):
            ends = ((x_lo, "start"), (x_hi, "end")) if x_hi > x_lo else ((x_lo, "middle"),)
            for x, anchor in ends:  # years: never "2,035"
                label = str(int(x)) if float(x).is_integer() else tick_label(x)
                canvas.text(px(x), y0 + ph + 11, label, size=10, anchor=anchor)
    canvas.text(14, top + (height - top - bottom) / 2, y_label, size=11, anchor="middle",
                rotate=-90)  # fmt: skip
    return canvas.render()


@dataclass
class Row:
    """One row of a row chart: a label, marks on the x axis and a note at the right."""

    label: str
    bars: list[tuple[float, float, str, float, str]] = field(default_factory=list)
    """(start, end, colour, thickness 0–1 of the row, hover text)."""
    markers: list[tuple[float, str, str, str]] = field(default_factory=list)
    """(x, shape, colour, hover text)."""
    note: str = ""
    colour: str = INK


def row_chart(
    rows: Sequence[Row],
    *,
    title: str,
    x_label: str,
    x_max: float,
    legend: Sequence[tuple[str, str, str]] = (),
    x_ticks: Sequence[float] | None = None,
    rules: Sequence[tuple[float, str]] = (),
    note_width: float = 120.0,
) -> str:
    """Horizontal rows (first row on top): bars, markers, vertical rules (x, dash) and notes."""
    longest = max([len(r.label) for r in rows] + [4])
    left = 16 + 6.6 * longest
    plot_w, row_h, top = 560.0, 18.0, 58.0
    height = top + row_h * len(rows) + 46
    width = max(left + plot_w + 12 + note_width, 32 + 7.8 * len(title))
    canvas = Canvas(width, height, title)
    canvas.text(16, 18, title, size=14, weight="bold")
    _legend(canvas, 16, 40, legend)
    x_max = x_max if x_max > 0 and math.isfinite(x_max) else 1.0
    ticks = list(x_ticks) if x_ticks is not None else nice_ticks(0.0, x_max, 5)
    x_max = max(x_max, ticks[-1] if ticks else x_max)

    def px(x: float) -> float:
        return left + max(0.0, min(x, x_max)) / x_max * plot_w

    bottom = top + row_h * len(rows)
    for t in ticks:
        canvas.line(px(t), top, px(t), bottom, colour=GRID)
        canvas.text(px(t), bottom + 10, tick_label(t), size=10, anchor="middle")
    for x, dash in rules:
        canvas.line(px(x), top - 4, px(x), bottom, colour=INK, width=1.2, dash=dash)
    for i, r in enumerate(rows):
        y = top + i * row_h + row_h / 2
        canvas.text(left - 6, y, r.label, size=11, anchor="end", colour=r.colour)
        for start, end, colour, thickness, tip in r.bars:
            h = row_h * thickness
            canvas.rect(px(start), y - h / 2, px(end) - px(start), h, colour, title=tip)
        for x, shape, colour, tip in r.markers:
            canvas.marker(px(x), y, shape, colour, title=tip)
        if r.note:
            canvas.text(left + plot_w + 8, y, r.note, size=10, colour="#444")
    canvas.text(left + plot_w / 2, bottom + 30, x_label, size=11, anchor="middle")
    return canvas.render()
