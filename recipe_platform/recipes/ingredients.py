"""Ingredient lines: reading what a cook typed, and writing quantities for a cook to read.

Pure functions, no database: the recipe form, the data migration that turned the old one-line-
each text into rows (``0006_ingredient_rows``), the recipe page and the shopping list share them.

Reading (:func:`parse_line`) understands what recipes actually say: whole numbers, decimals
("1.5"), fractions ("3/4", "1 3/4"), unicode vulgar fractions ("½", "1½", "1 ½"), ranges
("2-3", "2 to 3", or with an en dash), "a"/"an" before a unit ("a pinch of salt"), the units
of :class:`Unit` written the usual ways ("200g", "2 tbsp", "1 fl oz", "3 cloves"), and a note
after a comma, in brackets, or "to taste". A line it cannot read is never lost: it becomes an
item-only row holding the text.

Quantities are :class:`~fractions.Fraction`, so a third of a cup times three is one cup, not
0.999. Writing (:func:`format_quantity`) shows US and unitless amounts as the fractions a cook
measures (⅓, ½, 1 ¼) and metric ones as decimals (1.5 kg, 250 g).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from django.db import models

MAX_QUANTITY = Fraction(10_000)
MAX_DENOMINATOR = 1_000
ITEM_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 200


class Unit(models.TextChoices):
    """The units the site knows: mass and volume ones convert between metric and US."""

    NONE = "", "(none)"
    GRAM = "g", "g"
    KILOGRAM = "kg", "kg"
    MILLILITRE = "ml", "ml"
    LITRE = "l", "l"
    TEASPOON = "tsp", "tsp"
    TABLESPOON = "tbsp", "tbsp"
    CUP = "cup", "cup"
    FLUID_OUNCE = "fl_oz", "fl oz"
    OUNCE = "oz", "oz"
    POUND = "lb", "lb"
    PINCH = "pinch", "pinch"
    DASH = "dash", "dash"
    CLOVE = "clove", "clove"
    CAN = "can", "can"
    SLICE = "slice", "slice"
    BUNCH = "bunch", "bunch"
    SPRIG = "sprig", "sprig"
    HANDFUL = "handful", "handful"


class System(models.TextChoices):
    """How the recipe page writes mass and volume: as the cook wrote them, or converted."""

    AS_WRITTEN = "", "as written"
    METRIC = "metric", "metric"
    US = "us", "US"


# Exact factors to grams and millilitres (the international avoirdupois pound and US cup).
_GRAMS = {
    Unit.GRAM: Fraction(1),
    Unit.KILOGRAM: Fraction(1000),
    Unit.OUNCE: Fraction("28.349523125"),
    Unit.POUND: Fraction("453.59237"),
}
_MILLILITRES = {
    Unit.MILLILITRE: Fraction(1),
    Unit.LITRE: Fraction(1000),
    Unit.TEASPOON: Fraction("4.92892159375"),
    Unit.TABLESPOON: Fraction("14.78676478125"),
    Unit.FLUID_OUNCE: Fraction("29.5735295625"),
    Unit.CUP: Fraction("236.5882365"),
}
METRIC_UNITS = frozenset({Unit.GRAM, Unit.KILOGRAM, Unit.MILLILITRE, Unit.LITRE})
US_UNITS = frozenset(set(_GRAMS) | set(_MILLILITRES)) - METRIC_UNITS
_PLURALS = {
    Unit.CUP: "cups",
    Unit.PINCH: "pinches",
    Unit.DASH: "dashes",
    Unit.CLOVE: "cloves",
    Unit.CAN: "cans",
    Unit.SLICE: "slices",
    Unit.BUNCH: "bunches",
    Unit.SPRIG: "sprigs",
    Unit.HANDFUL: "handfuls",
}
_ALIASES = {
    Unit.GRAM: ["g", "gr", "gram", "grams", "gramme", "grammes"],
    Unit.KILOGRAM: ["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"],
    Unit.MILLILITRE: ["ml", "millilitre", "millilitres", "milliliter", "milliliters"],
    Unit.LITRE: ["l", "litre", "litres", "liter", "liters"],
    Unit.TEASPOON: ["tsp", "tsps", "teaspoon", "teaspoons"],
    Unit.TABLESPOON: ["tbsp", "tbsps", "tbs", "tbl", "tablespoon", "tablespoons"],
    Unit.CUP: ["cup", "cups"],
    Unit.FLUID_OUNCE: ["fl oz", "fl. oz", "fl.oz", "floz", "fluid ounce", "fluid ounces"],
    Unit.OUNCE: ["oz", "ounce", "ounces"],
    Unit.POUND: ["lb", "lbs", "pound", "pounds"],
    Unit.PINCH: ["pinch", "pinches"],
    Unit.DASH: ["dash", "dashes"],
    Unit.CLOVE: ["clove", "cloves"],
    Unit.CAN: ["can", "cans", "tin", "tins"],
    Unit.SLICE: ["slice", "slices"],
    Unit.BUNCH: ["bunch", "bunches"],
    Unit.SPRIG: ["sprig", "sprigs"],
    Unit.HANDFUL: ["handful", "handfuls"],
}
_UNIT_BY_ALIAS = {alias: unit for unit, aliases in _ALIASES.items() for alias in aliases}
# Longest first, so "fl oz" wins over "oz"; a unit ends at a word boundary ("grated" is no "g").
_UNIT = re.compile(
    r"(?P<unit>"
    + "|".join(re.escape(a) for a in sorted(_UNIT_BY_ALIAS, key=len, reverse=True))
    + r")\.?(?![\w])(?:\s+of\b)?\s*",
    re.IGNORECASE,
)
_DASHES = "-\N{EN DASH}\N{EM DASH}"
_NUMBER = r"\d+\s+\d+/\d+|\d+/\d+|\d+(?:\.\d+)?|\.\d+"
_QUANTITY = re.compile(
    rf"(?P<low>{_NUMBER}|an?\b)(?:\s*(?:[{_DASHES}]|to|or)\s*(?P<high>{_NUMBER}))?\s*",
    re.IGNORECASE,
)
_VULGAR = {
    chr(c): unicodedata.numeric(chr(c)) for c in (*range(0xBC, 0xBF), *range(0x2150, 0x215F))
}
_TO_TASTE = re.compile(r"\s*,?\s*\b(to taste|as needed|optional)\s*$", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*\((?P<note>[^()]*)\)\s*$")
_FRIENDLY = {
    Fraction(1, 8): "⅛",
    Fraction(1, 4): "¼",
    Fraction(1, 3): "⅓",
    Fraction(3, 8): "⅜",
    Fraction(1, 2): "½",
    Fraction(5, 8): "⅝",
    Fraction(2, 3): "⅔",
    Fraction(3, 4): "¾",
    Fraction(7, 8): "⅞",
}


class QuantityError(ValueError):
    """Text that looks like a quantity but is none the site keeps (zero, huge, a backward range)."""


@dataclass(frozen=True)
class ParsedIngredient:
    quantity: Fraction | None
    quantity_max: Fraction | None
    unit: str
    item: str
    note: str


def normalise_fractions(text: str) -> str:
    """Spell unicode vulgar fractions as ASCII ones: "1½" and "1 ½" become "1 1/2"."""

    def spell(match: re.Match[str]) -> str:
        value = Fraction(_VULGAR[match["glyph"]]).limit_denominator(16)
        prefix = f"{match['whole']} " if match["whole"] else ""
        return f"{prefix}{value.numerator}/{value.denominator}"

    glyphs = "".join(_VULGAR)
    text = text.replace("\N{FRACTION SLASH}", "/")  # as in 3/4 typed with the fraction slash
    return re.sub(rf"(?:(?P<whole>\d+)\s*)?(?P<glyph>[{glyphs}])", spell, text)


def parse_number(text: str) -> Fraction:
    """One amount: "2", "1.5", "3/4", "1 3/4", "a"/"an" (one). Raises ``QuantityError``."""
    text = text.strip().lower()
    if text in {"a", "an"}:
        return Fraction(1)
    try:
        if " " in text:
            whole, fraction = text.split(None, 1)
            value = Fraction(int(whole)) + Fraction(fraction)
        else:
            value = Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise QuantityError(f"“{text}” is not a number.") from error
    if not 0 < value <= MAX_QUANTITY:
        raise QuantityError("A quantity is above zero and at most 10,000.")
    if value.denominator > MAX_DENOMINATOR:
        raise QuantityError("Write the quantity with fewer decimals.")
    return value


def parse_quantity(text: str) -> tuple[Fraction | None, Fraction | None]:
    """A quantity field as typed: "", "2", "1 ½", "2-3". Raises ``QuantityError``."""
    text = normalise_fractions(text).strip()
    if not text:
        return None, None
    match = _QUANTITY.fullmatch(text)
    if not match:
        raise QuantityError("Write an amount such as 2, 1.5, 1 ½, 3/4 or 2-3.")
    low = parse_number(match["low"])
    high = parse_number(match["high"]) if match["high"] else None
    if high is not None and high <= low:
        raise QuantityError("The second number of a range is the larger one.")
    return low, high


def parse_line(line: str) -> ParsedIngredient | None:
    """Read one ingredient line; ``None`` for a blank one. Never loses text: see the module."""
    line = " ".join(line.split())
    if not line:
        return None
    text = normalise_fractions(line)
    quantity = quantity_max = None
    match = _QUANTITY.match(text)
    if match and (
        match["low"][0].isdigit() or match["low"][0] == "." or _UNIT.match(text, match.end())
    ):
        try:
            quantity = parse_number(match["low"])
            quantity_max = parse_number(match["high"]) if match["high"] else None
        except QuantityError:
            return _item_only(line)
        if quantity_max is not None and quantity_max <= quantity:
            return _item_only(line)
        text = text[match.end() :]
    unit = ""
    unit_match = _UNIT.match(text)
    # A unit follows a quantity ("2 cloves garlic"); alone it is a word of the item ("can sugar"
    # is odd, but "l" alone at the start is surely no litre).
    if unit_match and quantity is not None:
        unit = _UNIT_BY_ALIAS[" ".join(unit_match["unit"].lower().rstrip(".").split())]
        text = text[unit_match.end() :]
    item, note = _split_note(text.strip())
    if not item or len(item) > ITEM_MAX_LENGTH or len(note) > NOTE_MAX_LENGTH:
        return _item_only(line)
    return ParsedIngredient(quantity, quantity_max, unit, item, note)


def parse_lines(text: str) -> list[ParsedIngredient]:
    """Every non-blank line of ``text``, in order."""
    return [parsed for line in text.splitlines() if (parsed := parse_line(line))]


def _item_only(line: str) -> ParsedIngredient:
    return ParsedIngredient(None, None, "", line, "")


def _split_note(text: str) -> tuple[str, str]:
    """ "onion, finely chopped" -> ("onion", "finely chopped"); also "(...)" and "to taste"."""
    notes: list[str] = []
    if to_taste := _TO_TASTE.search(text):
        notes.append(to_taste[1].lower())
        text = text[: to_taste.start()]
    if bracketed := _BRACKETED.search(text):
        notes.insert(0, bracketed["note"].strip())
        text = text[: bracketed.start()]
    item, comma, rest = text.partition(",")
    if comma and rest.strip():
        notes.insert(0, rest.strip())
    return item.strip(" ,"), ", ".join(note for note in notes if note)


# --- Writing -----------------------------------------------------------------------------------

_EXACT_GLYPHS = {
    Fraction(1, 4): "¼",
    Fraction(1, 3): "⅓",
    Fraction(1, 2): "½",
    Fraction(2, 3): "⅔",
    Fraction(3, 4): "¾",
}


def quantity_text(low: Fraction | None, high: Fraction | None) -> str:
    """A quantity written exactly, so that :func:`parse_quantity` reads back the same value:
    "1 ½", "5/16", "2-3". The recipe form shows stored rows this way."""
    if low is None:
        return ""
    text = _exact(low)
    return f"{text}-{_exact(high)}" if high is not None else text


def _exact(value: Fraction) -> str:
    whole, rest = divmod(value, 1)
    if rest == 0:
        return str(whole)
    part = _EXACT_GLYPHS.get(rest, f"{rest.numerator}/{rest.denominator}")
    return f"{whole} {part}" if whole else part


def line_text(
    quantity: Fraction | None, quantity_max: Fraction | None, unit: str, item: str, note: str
) -> str:
    """A row as one exact line, which :func:`parse_line` reads back to the same row (for rows
    it made itself): "1 ½ cup flour, sifted"."""
    words = " ".join(
        part
        for part in (
            quantity_text(quantity, quantity_max),
            str(Unit(unit).label) if unit else "",
            item,
        )
        if part
    )
    return f"{words}, {note}" if note else words


def unit_label(unit: str, quantity: Fraction | None) -> str:
    """The unit as a cook reads it: "cup" or "cups", "clove" or "cloves"."""
    if not unit:
        return ""
    if quantity is not None and quantity > 1 and unit in _PLURALS:
        return _PLURALS[Unit(unit)]
    return str(Unit(unit).label)


def format_quantity(value: Fraction, unit: str = "") -> str:
    """``value`` as a cook reads it: decimals for metric units, friendly fractions otherwise."""
    if unit in METRIC_UNITS:
        places = 2 if unit in {Unit.KILOGRAM, Unit.LITRE} else (0 if value >= 10 else 1)
        rounded = round(float(value), places)
        text = f"{rounded:.{places}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if value >= 20:
        return str(round(value))
    if value >= 10:
        return _friendly(Fraction(round(value * 2), 2))
    return _friendly(value)


def _friendly(value: Fraction) -> str:
    whole, rest = divmod(value, 1)
    if rest == 0:
        return str(whole)
    nearest = min([Fraction(0), *_FRIENDLY, Fraction(1)], key=lambda f: abs(f - rest))
    if nearest == 0 and whole == 0:  # less than a sixteenth: say how little, never "0"
        small = rest.limit_denominator(16)
        return f"{small.numerator}/{small.denominator}" if small else "⅛"
    if nearest == 1:
        return str(whole + 1)
    if nearest == 0:
        return str(whole)
    glyph = _FRIENDLY[nearest]
    return f"{whole} {glyph}" if whole else glyph


def format_range(low: Fraction, high: Fraction | None, unit: str = "") -> str:
    text = format_quantity(low, unit)
    return f"{text}\N{EN DASH}{format_quantity(high, unit)}" if high is not None else text


def convert(
    low: Fraction, high: Fraction | None, unit: str, system: str
) -> tuple[Fraction, Fraction | None, str]:
    """The amount in ``system``'s units, when ``unit`` is a mass or volume of the other system.

    The target unit is chosen from the smaller amount, so a range keeps one unit: 300 g is
    10 ½ oz, 600 g is 1 ⅓ lb; 10 ml is 2 tsp, 45 ml 3 tbsp, 120 ml ½ cup; back to metric, grams
    and millilitres up to a thousand, then kilograms and litres.
    """
    if system == System.METRIC and unit in US_UNITS:
        if unit in _GRAMS:
            base, table = _GRAMS[Unit(unit)], _GRAMS
            target = Unit.GRAM if low * base < 1000 else Unit.KILOGRAM
        else:
            base, table = _MILLILITRES[Unit(unit)], _MILLILITRES
            target = Unit.MILLILITRE if low * base < 1000 else Unit.LITRE
    elif system == System.US and unit in METRIC_UNITS:
        if unit in _GRAMS:
            base, table = _GRAMS[Unit(unit)], _GRAMS
            target = Unit.OUNCE if low * base < _GRAMS[Unit.POUND] else Unit.POUND
        else:
            base, table = _MILLILITRES[Unit(unit)], _MILLILITRES
            millilitres = low * base
            if millilitres < _MILLILITRES[Unit.TABLESPOON]:
                target = Unit.TEASPOON
            elif millilitres < _MILLILITRES[Unit.CUP] / 4:
                target = Unit.TABLESPOON
            else:
                target = Unit.CUP
    else:
        return low, high, unit
    factor = base / table[target]
    return low * factor, (high * factor if high is not None else None), target


@dataclass(frozen=True)
class Amount:
    """One ingredient as the recipe page shows it, scaled and converted."""

    quantity: str
    unit: str
    item: str
    note: str
    low: Fraction | None = None
    high: Fraction | None = None
    unit_code: str = ""

    def __str__(self) -> str:
        words = " ".join(part for part in (self.quantity, self.unit, self.item) if part)
        return f"{words}, {self.note}" if self.note else words


def amount(
    *,
    quantity: Fraction | None,
    quantity_max: Fraction | None,
    unit: str,
    item: str,
    note: str,
    factor: Fraction = Fraction(1),
    system: str = System.AS_WRITTEN,
) -> Amount:
    """An ingredient times ``factor`` (servings wanted / servings written), in ``system``."""
    if quantity is None:
        return Amount("", unit_label(unit, None), item, note, unit_code=unit)
    low, high, unit = convert(
        quantity * factor, quantity_max * factor if quantity_max is not None else None, unit, system
    )
    return Amount(
        format_range(low, high, unit),
        unit_label(unit, high or low),
        item,
        note,
        low=low,
        high=high,
        unit_code=unit,
    )


def item_key(item: str) -> str:
    """What makes two items one on a shopping list: case, spacing and a plural do not count.

    "Eggs" and "egg", "Tomatoes" and "tomato", "berries" and "berry" share a key; anything the
    cook would tell apart ("red onion", "onion") does not.
    """
    words = re.sub(r"[^\w\s-]", "", item.casefold()).split()
    if words:
        words[-1] = _singular(words[-1])
    return " ".join(words)[:ITEM_MAX_LENGTH]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return f"{word[:-3]}y"
    if len(word) > 4 and word.endswith("oes"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
