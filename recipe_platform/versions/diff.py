"""What changed between two versions of a recipe, as text segments a template marks up.

Text is compared with :mod:`difflib`: single-line fields word by word, the instructions, the
ingredient lines and the categories line by line. Only what differs is listed; the template
writes removed text as ``<del>`` and added text as ``<ins>``, each with a visually hidden
"removed"/"added" for screen readers, which announce neither element by default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from recipes.history import Snapshot
from recipes.images import StoredImage

Kind = Literal["same", "removed", "added"]
_WORDS = re.compile(r"(\s+)")
DELETED_CATEGORY = "(a deleted category)"


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its label and either words (``inline``) or whole lines."""

    label: str
    segments: list[Segment]
    inline: bool


@dataclass(frozen=True)
class Comparison:
    changes: list[FieldChange] = field(default_factory=list)
    photo_changed: bool = False
    old_photo: StoredImage | None = None
    new_photo: StoredImage | None = None
    old_photo_alt: str = ""
    new_photo_alt: str = ""

    @property
    def identical(self) -> bool:
        return not self.changes and not self.photo_changed


def compare(old: Snapshot, new: Snapshot, *, category_names: dict[int, str]) -> Comparison:
    """The differences from ``old`` to ``new``; ``category_names`` names the categories by id
    (one missing from it has been deleted since)."""
    changes: list[FieldChange] = []

    def words(label: str, before: str, after: str) -> None:
        if before != after:
            changes.append(FieldChange(label, diff_words(before, after), inline=True))

    def lines(label: str, before: Sequence[str], after: Sequence[str]) -> None:
        if list(before) != list(after):
            changes.append(FieldChange(label, diff_lines(before, after), inline=False))

    def names(ids: tuple[int, ...]) -> list[str]:
        return sorted(category_names.get(pk, DELETED_CATEGORY) for pk in ids)

    words("Title", old.title, new.title)
    words("Description", old.description, new.description)
    lines(
        "Ingredients",
        [str(line) for line in old.ingredients],
        [str(line) for line in new.ingredients],
    )
    lines("Instructions", old.instructions.splitlines(), new.instructions.splitlines())
    words("Preparation time", _minutes(old.prep_minutes), _minutes(new.prep_minutes))
    words("Cooking time", _minutes(old.cook_minutes), _minutes(new.cook_minutes))
    words("Servings", str(old.servings), str(new.servings))
    lines("Categories", names(old.category_ids), names(new.category_ids))
    words("Photo description", old.image_alt, new.image_alt)
    return Comparison(
        changes=changes,
        photo_changed=old.image != new.image,
        old_photo=old.photo,
        new_photo=new.photo,
        old_photo_alt=old.image_alt,
        new_photo_alt=new.image_alt,
    )


def diff_words(before: str, after: str) -> list[Segment]:
    """``before`` and ``after`` as one run of kept, removed and added words (spaces kept)."""
    old, new = _WORDS.split(before), _WORDS.split(after)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new[j1:j2])))
    return segments


def diff_lines(before: Sequence[str], after: Sequence[str]) -> list[Segment]:
    """One segment per line: kept, removed (from ``before``) or added (in ``after``)."""
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, list(before), list(after), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments += [Segment("same", line) for line in before[i1:i2]]
            continue
        segments += [Segment("removed", line) for line in before[i1:i2]]
        segments += [Segment("added", line) for line in after[j1:j2]]
    return segments


def _minutes(value: int) -> str:
    return f"{value} minute{'' if value == 1 else 's'}"
