"""What "one line of plain text" means: no control or invisible format characters.

A recipe title, a photo's description or a category name is shown on one line: in a card, a
page title, ``<meta name="description">``, the JSON-LD ``name``, the admin's lists. A line break,
TAB or NUL there corrupts those (and anything exported later), and a bidirectional override
(U+202E) makes a title read differently from what it is. So every single-line field refuses all
Unicode "Cc" (control) and "Cf" (format) characters and the line and paragraph separators
("Zl", "Zp"), except the zero-width joiner and non-joiner: they build emoji sequences (a cook is
U+1F469 U+200D U+1F373) and the words of Persian and the Indic scripts, and neither break a line
nor reorder text. The rule is the same in the repository's three projects. Multi-line text
(ingredients, instructions, the description) is not affected. Usernames need nothing more:
Django's ``UnicodeUsernameValidator`` allows letters, digits and ``@.+-_`` only.

The validator sits on the model fields, so the site's form and the admin refuse such text with a
field error.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
JOINERS = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner and joiner


def is_control_character(character: str) -> bool:
    """Whether ``character`` is a control (CR, LF, TAB, NUL...), format or line-separator
    character other than the two joiners."""
    return character not in JOINERS and unicodedata.category(character) in CONTROL_CATEGORIES


def validate_single_line(value: str) -> None:
    """Refuse text that contains a control or format character, and say which one."""
    for character in value:
        if is_control_character(character):
            raise ValidationError(
                "Use a single line of plain text, without line breaks, tabs or invisible "
                "control characters (found %(character)s).",
                code="control_character",
                params={"character": f"U+{ord(character):04X}"},
            )
