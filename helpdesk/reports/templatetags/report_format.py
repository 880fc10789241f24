"""How the reports page writes durations and shares; "—" where there is nothing to measure."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()

NOTHING = "—"


@register.filter
def duration(value: timedelta | None) -> str:
    """A median time to the minute, in the two largest units: "2 d 4 h", "3 h 5 min", "12 min"."""
    if value is None:
        return NOTHING
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return "under 1 min"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


@register.filter
def share(value: float | None) -> str:
    """A share as a whole percentage: 0.754 is "75%"."""
    if value is None:
        return NOTHING
    return f"{round(value * 100)}%"
