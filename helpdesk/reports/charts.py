"""Bar charts as plain data for an SVG template: the geometry is computed here, typed and
unit-tested; ``templates/reports/bar_chart.html`` only writes it out, autoescaped.

No JavaScript and no chart library: the page stays readable without scripts, under the strict
Content-Security-Policy, and in every browser that draws SVG. Colours come from classes in the
site's stylesheet (``style=`` attributes are forbidden by the policy). The chart scales with its
container through its ``viewBox``; the numbers themselves are also in a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 960
HEIGHT = 260
# The plot area inside the drawing: room for the value labels on the left and the category
# labels underneath.
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 44.0, WIDTH - 12.0, 14.0, HEIGHT - 40.0
#: At most this many category labels under the axis; the others are skipped evenly.
MAX_CATEGORY_LABELS = 13
#: The share of each category's slot taken by its bars; the rest separates the groups.
GROUP_FILL = 0.8


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css_class: str
    #: What the bar shows, for its tooltip (``<title>``).
    label: str


@dataclass(frozen=True)
class Tick:
    """A label along an axis: ``position`` is y for the value axis, x for the categories."""

    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    series: tuple[Series, ...]
    bars: tuple[Bar, ...]
    value_ticks: tuple[Tick, ...]
    category_ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: float = PLOT_LEFT
    right: float = PLOT_RIGHT
    top: float = PLOT_TOP
    bottom: float = PLOT_BOTTOM

    @property
    def value_label_x(self) -> float:
        """Where the value labels end: just left of the plot."""
        return self.left - 6

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def nice_step(maximum: int, intervals: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that covers ``maximum`` in ``intervals`` steps."""
    raw = maximum / intervals
    if raw <= 1:
        return 1
    magnitude: int = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    raise AssertionError("unreachable: 10 * magnitude >= raw")  # pragma: no cover


def nice_ticks(maximum: int, *, intervals: int = 5) -> list[int]:
    """Round axis values from 0 to the first multiple of a nice step at or above ``maximum``.

    Counts are whole numbers, so the step is at least 1; an empty chart still gets the axis
    0 to 1, never a division by zero.
    """
    if maximum < 0:
        raise ValueError("Bar charts count things: the maximum cannot be negative.")
    step = nice_step(maximum, intervals)
    top = max(step, math.ceil(maximum / step) * step)
    return list(range(0, top + 1, step))


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
) -> BarChart:
    """One group of bars per category (a week), one bar per series (opened, resolved)."""
    if any(len(one.values) != len(categories) for one in series):
        raise ValueError("Every series needs one value per category.")
    ticks = nice_ticks(max((max(one.values, default=0) for one in series), default=0))
    top = ticks[-1]
    plot_height = PLOT_BOTTOM - PLOT_TOP
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(categories), 1)
    bar_width = slot * GROUP_FILL / max(len(series), 1)

    def y(value: int) -> float:
        return PLOT_BOTTOM - plot_height * value / top

    bars = [
        Bar(
            x=_round(PLOT_LEFT + slot * index + slot * (1 - GROUP_FILL) / 2 + bar_width * n),
            y=_round(y(value)),
            width=_round(bar_width),
            height=_round(PLOT_BOTTOM - y(value)),
            css_class=one.css_class,
            label=f"{category}: {value} {one.name.lower()}",
        )
        for index, category in enumerate(categories)
        for n, one in enumerate(series)
        if (value := one.values[index]) > 0
    ]
    every = max(1, math.ceil(len(categories) / MAX_CATEGORY_LABELS))
    category_ticks = [
        Tick(position=_round(PLOT_LEFT + slot * (index + 0.5)), label=category)
        for index, category in enumerate(categories)
        if index % every == 0
    ]
    value_ticks = [Tick(position=_round(y(value)), label=str(value)) for value in ticks]
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        series=tuple(series),
        bars=tuple(bars),
        value_ticks=tuple(value_ticks),
        category_ticks=tuple(category_ticks),
    )


def _round(value: float) -> float:
    """Two decimals: sharp at any size, and a 53-week chart's markup stays small."""
    return round(value, 2)
