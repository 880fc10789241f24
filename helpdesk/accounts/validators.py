"""What "one line of plain text" means, for every app: no control or invisible format characters.

A title or a name is shown on one line and travels into e-mail headers, log lines and CSV
exports. A line break there splits a header (Django then refuses to send the message), a TAB or
NUL corrupts exports, and a bidirectional override (U+202E) makes a title read differently from
what it is. So every single-line field refuses all Unicode "Cc" (control) and "Cf" (format)
characters and the line and paragraph separators ("Zl", "Zp"), except the zero-width joiner and
non-joiner: they build emoji sequences (a cook is U+1F469 U+200D U+1F373) and the words of
Persian and the Indic scripts, and neither break a line nor reorder text. Multi-line text
(descriptions, messages) is not affected.

The validator sits on the model field, so the site's forms, the admin and anything else that
runs model validation refuse such text with a field error. Text that is already stored (legacy
rows, raw SQL) is cleaned where it leaves the system, e.g. ``tickets.emails.header_text``.
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
