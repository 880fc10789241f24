"""What "one line of plain text" means: no control or invisible format characters.

A product's or a category's name, a person's name: each is shown on one line, in the app, the
admin, log lines and exports, and would travel into e-mail headers the day the shop sends mail.
A line break there splits a header, a TAB or NUL corrupts an export, and a bidirectional
override (U+202E) makes a name read differently from what it is. So every single-line field
refuses all Unicode "Cc" (control) and "Cf" (format) characters and the line and paragraph
separators ("Zl", "Zp"), except the zero-width joiner and non-joiner: they build emoji
sequences (a cook is U+1F469 U+200D U+1F373) and the words of Persian and the Indic scripts,
and neither break a line nor reorder text. Multi-line text (a product's description) is not
affected.

The validator sits on the model fields, so the admin's forms and any serializer built from the
models refuse such text with a field error. It lives here, with the user model, because it is
the project's rule for text people type; the catalogue uses it too.
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
                f"control characters (found U+{ord(character):04X}).",
                code="control_character",
            )
