"""A recipe card's data, shaped once per page, and its markup (:func:`card_html`).

Every list of recipes (the list, "Top rated", "My favourites", "My recipes", "More from this
cook") renders the same card, twelve times a page. Read from a ``Recipe``, each card called
``reverse()`` for its own link and once per category, asked the storage for three photo URLs,
ran five filters and had the template engine localize its numbers: about half of an uncached
list page's rendering (issue 19). Here the links are made from one ``reverse()`` per page: the
URLconf is fixed when the process starts, so ``/recipes/<slug>/`` differs between recipes only
in the slug, and the script prefix the request is served under is read by that ``reverse()``,
on the same request.

A card is a dictionary (a ``TypedDict``, so it is still checked): templates that read a
card's values try a key before an attribute, and an attribute lookup costs the template engine
a caught exception per variable.

Templates turn a page of recipes into cards with the ``as_cards`` filter and print each with
the ``card`` tag (:mod:`recipes.templatetags.recipe_format`):
``{% for one in recipes|as_cards %}{% card one %}{% endfor %}``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from html import escape
from typing import NamedTuple, NotRequired, Protocol, TypedDict

from django.core.files.storage import Storage
from django.db import models
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from recipes import list_reads
from recipes.models import Recipe, photo_srcset
from recipes.storage_urls import StorageUrls

DESCRIPTION_CHARS = 140
# Any slug the URL converter accepts: the reversed URL is split at its last occurrence.
_SLUG_MARK = "SLUG"


class CategoryLink(TypedDict):
    name: str
    url: str


class CardPhoto(TypedDict):
    """The ``<img>`` attributes of a card with a photo."""

    src: str
    srcset: str
    width: str
    height: str
    alt: str


class Card(TypedDict):
    """What one card shows, as the text the page prints (a number given to a template is
    localized on every render; text is printed as it is).

    A compact card (``compact=True``: "My recipes", "More from this cook") shows the photo and
    the title only, so it needs neither the author nor the categories loaded.
    """

    url: str
    slug: str
    title: str
    photo: CardPhoto | None
    description: NotRequired[str]
    duration: NotRequired[str]
    servings: NotRequired[str]
    author: NotRequired[str]
    rating_average: NotRequired[str]  # empty when nobody rated it
    ratings_label: NotRequired[str]
    comments_label: NotRequired[str]  # empty without comments
    categories: NotRequired[list[CategoryLink]]


class CardSource(Protocol):
    """What a card reads of a recipe: a ``Recipe`` (its author loaded unless the card is
    compact) or a :class:`CardRecipe` row."""

    @property
    def pk(self) -> int: ...
    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def total_minutes(self) -> int: ...
    @property
    def servings(self) -> int: ...
    @property
    def author_name(self) -> str: ...
    @property
    def rating_average(self) -> Decimal: ...
    @property
    def rating_count(self) -> int: ...
    @property
    def comment_count(self) -> int: ...
    @property
    def thumbnail_width(self) -> int: ...
    @property
    def thumbnail_height(self) -> int: ...
    @property
    def image_alt(self) -> str: ...

    def photo_names(self) -> tuple[str, str] | None: ...

    def srcset(self, image_url: str, thumbnail_url: str) -> str: ...


class CardRecipe(NamedTuple):
    """A recipe as its card reads it, from the columns of one row (:data:`CARD_COLUMNS`), not a
    model instance: building a ``Recipe`` and its author with ``Model.from_db`` cost 0.15 ms a
    page of the list (``recipes.list_page``)."""

    pk: int
    slug: str
    title: str
    description: str
    prep_minutes: int
    cook_minutes: int
    servings: int
    image: str
    image_width: int
    thumbnail: str
    thumbnail_width: int
    thumbnail_height: int
    image_alt: str
    rating_count: int
    rating_average: Decimal
    comment_count: int
    author_name: str

    @property
    def total_minutes(self) -> int:
        return self.prep_minutes + self.cook_minutes

    def photo_names(self) -> tuple[str, str] | None:
        """What ``Recipe.photo_names`` answers: the photo's and the thumbnail's file names."""
        return (self.image, self.thumbnail) if self.image else None

    def srcset(self, image_url: str, thumbnail_url: str) -> str:
        return photo_srcset(image_url, self.image_width, thumbnail_url, self.thumbnail_width)


def _storage_of(field_name: str) -> Storage:
    field = Recipe._meta.get_field(field_name)
    assert isinstance(field, models.FileField)  # noqa: S101 - the photo fields are files
    return field.storage


#: The columns of a :class:`CardRecipe` in its order, as ``values_list`` reads them; then the
#: author's name (``author__<USERNAME_FIELD>``).
CARD_COLUMNS = (
    "pk",
    "slug",
    "title",
    "description",
    "prep_minutes",
    "cook_minutes",
    "servings",
    "image",
    "image_width",
    "thumbnail",
    "thumbnail_width",
    "thumbnail_height",
    "image_alt",
    "rating_count",
    "rating_average",
    "comment_count",
)


def duration(minutes: int) -> str:
    """Minutes for people: 45 -> "45 min", 90 -> "1 h 30 min", 120 -> "2 h"."""
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def cards(recipes: Iterable[CardSource], *, compact: bool = False) -> list[Card]:
    """The cards of ``recipes``: ``Recipe`` instances loaded with ``for_cards()`` (their
    authors) unless ``compact``, or :class:`CardRecipe` rows; a full card's categories cost one
    query for all of them."""
    before, after = reverse("recipes:detail", kwargs={"slug": _SLUG_MARK}).rsplit(_SLUG_MARK, 1)
    urls = _PhotoUrls()
    if compact:
        return [_compact_card(recipe, f"{before}{recipe.slug}{after}", urls) for recipe in recipes]
    recipes = list(recipes)
    categories = _category_links([recipe.pk for recipe in recipes])
    return [
        {
            **_compact_card(recipe, f"{before}{recipe.slug}{after}", urls),
            "description": _description(recipe.description),
            "duration": duration(recipe.total_minutes),
            "servings": str(recipe.servings),
            "author": recipe.author_name,
            "rating_average": (
                floatformat(recipe.rating_average, 1) if recipe.rating_count else ""
            ),
            "ratings_label": _plural(recipe.rating_count, "rating"),
            "comments_label": (
                _plural(recipe.comment_count, "comment") if recipe.comment_count else ""
            ),
            "categories": categories.get(recipe.pk, []),
        }
        for recipe in recipes
    ]


def _category_links(recipe_ids: list[int]) -> dict[int, list[CategoryLink]]:
    """Each recipe's categories, by name, as links to the list filtered by them.

    One query of the link table joined to the categories (:func:`list_reads.category_rows`,
    composed once per number of recipes): ``prefetch_related("categories")`` made the same
    rows into ``Category`` instances through Django's many-to-many machinery, twice the time
    (0.6 instead of 0.3 ms a page).
    """
    if not recipe_ids:
        return {}
    list_url = reverse("recipes:list")
    links: dict[int, list[CategoryLink]] = defaultdict(list)
    for recipe_id, name, slug in list_reads.category_rows(recipe_ids):
        links[recipe_id].append({"name": name, "url": f"{list_url}?category={slug}"})
    return links


def _description(text: str) -> str:
    """``Truncator(text).chars(DESCRIPTION_CHARS)``, which walks the text a character at a
    time even when it fits (0.02 ms a card): a text that fits is returned as that does, in
    Unicode's composed form (NFC), and only a longer one is truncated by it."""
    composed = unicodedata.normalize("NFC", text)
    if len(composed) <= DESCRIPTION_CHARS:
        return composed
    return Truncator(text).chars(DESCRIPTION_CHARS)


class _PhotoUrls:
    """The URLs of a page's photo files, each from its field's storage, as ``FieldFile.url``
    makes them (:class:`recipes.storage_urls.StorageUrls`)."""

    def __init__(self) -> None:
        self.image = StorageUrls(_storage_of("image"))
        self.thumbnail = StorageUrls(_storage_of("thumbnail"))


def _compact_card(recipe: CardSource, url: str, urls: _PhotoUrls) -> Card:
    photo = _photo(recipe, urls)
    return {"url": url, "slug": recipe.slug, "title": recipe.title, "photo": photo}


def _photo(recipe: CardSource, urls: _PhotoUrls) -> CardPhoto | None:
    names = recipe.photo_names()
    if names is None:
        return None
    image_url, thumbnail_url = urls.image.url(names[0]), urls.thumbnail.url(names[1])
    return {
        "src": thumbnail_url,
        "srcset": recipe.srcset(image_url, thumbnail_url),
        "width": str(recipe.thumbnail_width),
        "height": str(recipe.thumbnail_height),
        "alt": recipe.image_alt,
    }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


#: The ``sizes`` of a card's photo: one column on a phone, two on a tablet, three on a desktop.
PHOTO_SIZES = "(min-width: 1140px) 350px, (min-width: 720px) 45vw, 100vw"


def card_html(card: Card, *, compact: bool = False, heading_level: int = 2) -> SafeString:
    """One card's markup, every text escaped (``html.escape``: what the templates applied).

    It was a template included once per card: the include, its variables and its conditions
    cost about 1 ms of a page of twelve (a fifth of the list's rendering), where this costs
    about a tenth of that. The helpdesk's ticket rows are built the same way.
    """
    photo = card["photo"]
    if photo:
        image = (
            f'<img class="card-image" src="{escape(photo["src"])}" '
            f'srcset="{escape(photo["srcset"])}" sizes="{PHOTO_SIZES}" '
            f'width="{escape(photo["width"])}" height="{escape(photo["height"])}" '
            f'alt="{escape(photo["alt"])}" loading="lazy" decoding="async">'
        )
    else:
        image = (
            '<div class="card-image card-image-empty" role="img" aria-label="No photo yet"></div>'
        )
    level = int(heading_level)
    html = (
        f'<article class="card"><a class="card-link" href="{escape(card["url"])}">{image}'
        f'<h{level} class="card-title">{escape(card["title"])}</h{level}></a>'
    )
    if not compact:
        html += _card_details(card)
    return mark_safe(f"{html}</article>")  # noqa: S308 - every text above is escaped


def _card_details(card: Card) -> str:
    description = card.get("description", "")
    text = f'<p class="card-text">{escape(description)}</p>' if description else ""
    if card.get("rating_average"):
        rating = (
            f'<span class="rating-average">★ {escape(card["rating_average"])}'
            f'<span class="muted"> ({escape(card["ratings_label"])})</span></span>'
        )
    else:
        rating = '<span class="muted">Not rated yet</span>'
    comments = card.get("comments_label", "")
    links = "".join(
        f'<li><a href="{escape(category["url"])}">{escape(category["name"])}</a></li>'
        for category in card.get("categories", [])
    )
    tags = f'<ul class="tags" aria-label="Categories">{links}</ul>' if links else ""
    return (
        f"{text}"
        f'<p class="card-meta"><span>{escape(card["duration"])}</span>'
        f"<span>Serves {escape(card['servings'])}</span>"
        f"<span>by {escape(card['author'])}</span>{rating}"
        f"{f'<span>{escape(comments)}</span>' if comments else ''}</p>"
        f"{tags}"
    )
