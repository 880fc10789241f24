from django import template

register = template.Library()


@register.filter
def duration(minutes: int) -> str:
    """Minutes for people: 45 -> "45 min", 90 -> "1 h 30 min", 120 -> "2 h"."""
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
