"""Form widgets for the pages rendered on every request of a busy list.

Django renders a ``<select>`` through its widget templates, one template include per
``<option>``: the dashboard's five filter selects (17 options and one per staff member) cost
about a fifth of a page render. ``PlainSelect`` writes the same markup in Python.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.forms.renderers import BaseRenderer


class PlainSelect(forms.Select):
    """A single ``<select>`` without option groups, with the attributes Django would render
    (``id``, ``aria-invalid``, ``aria-describedby``...), every label and value escaped."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(str(option["value"]))}"{_option_attributes(option["attrs"])}>'
            f"{escape(str(option['label']))}</option>"
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        select = f'<select name="{escape(name)}"{flatatt(widget["attrs"])}>{options}</select>'
        return mark_safe(select)  # noqa: S308 - every value and label is escaped above


def _option_attributes(attrs: dict[str, Any]) -> str:
    """An option's attributes as ``flatatt`` writes them; a ``Select`` gives its options
    ``selected`` and nothing else, which needs no ``flatatt`` (a ``format_html_join`` each:
    half of the selects' cost for their 26 options)."""
    if not attrs:
        return ""
    if attrs == {"selected": True}:
        return " selected"
    return flatatt(attrs)
