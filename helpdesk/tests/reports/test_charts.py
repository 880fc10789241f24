"""The SVG bar chart's geometry (reports/charts.py) and its markup (bar_chart.html)."""

import itertools
import re

import pytest
from django.template.loader import render_to_string

from reports.charts import (
    HEIGHT,
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    WIDTH,
    Series,
    grouped_bar_chart,
    nice_step,
    nice_ticks,
)


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (11, [0, 5, 10, 15]),
        (100, [0, 20, 40, 60, 80, 100]),
        (101, [0, 50, 100, 150]),
        (1234, [0, 500, 1000, 1500]),
        (10_000, [0, 2000, 4000, 6000, 8000, 10_000]),
    ],
)
def test_value_axis_ticks_are_round_and_cover_the_maximum(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_steps_are_one_two_or_five_times_a_power_of_ten():
    steps = {nice_step(maximum, 5) for maximum in range(0, 100_001, 7)}

    assert steps <= {factor * 10**power for factor in (1, 2, 5) for power in range(6)}


def test_a_negative_maximum_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        nice_ticks(-1)


def _chart(*values_per_series, categories=None):
    categories = categories or [f"W{n}" for n in range(len(values_per_series[0]))]
    series = [
        Series(name, css, tuple(values))
        for (name, css), values in zip(
            [("Opened", "bar-opened"), ("Resolved", "bar-resolved")],
            values_per_series,
            strict=False,
        )
    ]
    return grouped_bar_chart(
        chart_id="c", title="Title", description="Desc", categories=categories, series=series
    )


def test_zero_data_draws_no_bar_and_an_axis_from_zero_to_one():
    chart = _chart([0, 0, 0], [0, 0, 0])

    assert chart.bars == ()
    assert [(tick.label, tick.position) for tick in chart.value_ticks] == [
        ("0", PLOT_BOTTOM),
        ("1", PLOT_TOP),
    ]
    assert [tick.label for tick in chart.category_ticks] == ["W0", "W1", "W2"]


def test_bars_are_scaled_to_the_top_tick():
    chart = _chart([10, 5], [0, 7])

    heights = {bar.label: bar.height for bar in chart.bars}
    plot_height = PLOT_BOTTOM - PLOT_TOP
    assert heights == {
        "W0: 10 opened": plot_height,
        "W1: 5 opened": plot_height / 2,
        "W1: 7 resolved": pytest.approx(plot_height * 0.7, abs=0.01),
    }
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(PLOT_BOTTOM, abs=0.01)


def test_one_week_fills_the_plot_width_with_one_group():
    chart = _chart([3], [2])

    opened, resolved = chart.bars
    assert (opened.css_class, resolved.css_class) == ("bar-opened", "bar-resolved")
    assert PLOT_LEFT < opened.x < opened.x + opened.width <= resolved.x
    assert resolved.x + resolved.width < PLOT_RIGHT
    assert [tick.label for tick in chart.category_ticks] == ["W0"]


def test_fifty_three_weeks_stay_inside_the_plot_without_overlapping():
    chart = _chart(list(range(1, 54)), list(range(53, 0, -1)))

    assert len(chart.bars) == 106
    edges = sorted((bar.x, bar.x + bar.width) for bar in chart.bars)
    assert edges[0][0] >= PLOT_LEFT
    assert edges[-1][1] <= PLOT_RIGHT
    assert all(end <= next_start + 0.01 for (_, end), (next_start, _) in itertools.pairwise(edges))
    labels = [tick.label for tick in chart.category_ticks]
    assert len(labels) <= 13  # README: at most 13 week labels
    assert labels[0] == "W0"
    assert nice_ticks(53)[-1] == 60
    assert chart.value_ticks[-1].label == "60"


def test_every_series_needs_a_value_per_category():
    with pytest.raises(ValueError, match="one value per category"):
        _chart([1, 2], categories=["only one"])


def test_the_svg_is_named_by_its_title_and_description_and_escapes_text():
    chart = grouped_bar_chart(
        chart_id="weekly",
        title="Opened <script>alert(1)</script>",
        description="Numbers & more",
        categories=["1 Jun", "8 Jun"],
        series=[Series("Opened", "bar-opened", (4, 0))],
    )

    html = render_to_string("reports/bar_chart.html", {"chart": chart})

    assert 'role="img"' in html
    assert 'aria-labelledby="weekly-title weekly-desc"' in html
    assert '<title id="weekly-title">Opened &lt;script&gt;alert(1)&lt;/script&gt;</title>' in html
    assert '<desc id="weekly-desc">Numbers &amp; more</desc>' in html
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in html
    assert 'width="100%"' in html
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html), "the CSP forbids style attributes"
    assert html.count("<rect ") == 1
    assert "<title>1 Jun: 4 opened</title>" in html
