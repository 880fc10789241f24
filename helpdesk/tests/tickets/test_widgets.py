"""tickets.widgets.PlainSelect writes the markup Django's own Select renders."""

import re

import pytest
from django import forms

from tickets.widgets import PlainSelect

CHOICES = [("", "Any"), ("a&b", 'Quote " and <tag>'), ("open", "Open")]


def _form(widget):
    class Filter(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, required=False, widget=widget)

    return Filter


def _normalised(html: str) -> set[tuple[str, frozenset[str], str]]:
    """The tags with their attributes as sets: attribute order and whitespace do not matter."""
    tags = re.findall(r"<(\w+)([^>]*)>([^<]*)", str(html))
    return {
        (name, frozenset(re.findall(r'[\w-]+(?:="[^"]*")?', attrs)), text.strip())
        for name, attrs, text in tags
    }


@pytest.mark.parametrize("data", [{}, {"status": "open"}, {"status": "a&b"}, {"status": "junk"}])
def test_plain_select_renders_what_djangos_select_renders(data):
    plain, django = _form(PlainSelect)(data), _form(forms.Select)(data)
    plain.is_valid()
    django.is_valid()

    assert _normalised(plain["status"]) == _normalised(django["status"])
    assert "&lt;tag&gt;" in str(plain["status"])
