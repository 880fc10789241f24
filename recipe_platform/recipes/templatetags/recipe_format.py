from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from recipes.cards import Card, CardSource, card_html, cards, duration

register = template.Library()

register.filter("duration", duration)


@register.filter
def as_cards(recipes: Iterable[CardSource], size: str = "") -> list[Card]:
    """A page of recipes as the cards ``{% card %}`` shows (one ``reverse()``);
    ``recipes|as_cards:"compact"`` for cards with the photo and the title only."""
    return cards(recipes, compact=size == "compact")


@register.simple_tag
def card(card: Card, *, compact: bool = False, heading_level: int = 2) -> SafeString:
    """``{% card card %}``: one recipe card (``recipes.cards.card_html``); ``compact=True`` for
    the photo and the title only, ``heading_level=3`` under a section's own heading."""
    return card_html(card, compact=compact, heading_level=heading_level)
