from collections.abc import Iterable

from django import template

from recipes.cards import Card, cards, duration
from recipes.models import Recipe

register = template.Library()

register.filter("duration", duration)


@register.filter
def as_cards(recipes: Iterable[Recipe], size: str = "") -> list[Card]:
    """A page of recipes as the cards :file:`recipes/_card.html` shows (one ``reverse()``);
    ``recipes|as_cards:"compact"`` for cards with the photo and the title only."""
    return cards(recipes, compact=size == "compact")
