"""What "one line of plain text" means, for every app: no control or invisible format characters.

A title or a name is shown on one line and travels into e-mail headers, log lines and CSV
exports. A line break there splits a header (Django then refuses to send the message), a TAB or
NUL corrupts exports, and a bidirectional override (U+202E) makes a title read differently from
what it is. So every single-line field refuses all Unicode "Cc" (control) and "Cf" (format)
characters, without exceptions: that also refuses the zero-width joiner inside some emoji
sequences, a price worth paying for one simple rule. Multi-line text (descriptions, messages) is
not affected.

The validator sits on the model field, so the site's forms, the admin and anything else that
runs model validation refuse such text with a field error. Text that is already stored (legacy
rows, raw SQL) is cleaned where it leaves the system, e.g. ``tickets.emails.header_text``.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

CONTROL_CATEGORIES = frozenset({"Cc", "Cf"})


def is_control_character(character: str) -> bool:
    """Whether ``character`` is a Unicode control (CR, LF, TAB, NUL...) or format character."""
    return unicodedata.category(character) in CONTROL_CATEGORIES


def validate_single_line(value: str) -> None:
    """Refuse text that contains a control or format character, and say which one."""
    for character in value:
        if is_control_character(character):
            raise ValidationError(
                "Use a single line of plain text, without line breaks, tabs or invisible "
                f"control characters (found U+{ord(character):04X}).",
                code="control_character",
            )
