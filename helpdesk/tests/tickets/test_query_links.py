"""``{% with_query %}`` (tickets.templatetags.query_links) writes what Django's
``{% querystring %}`` writes, for every kind of query and change."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import Context, Template

from tickets.templatetags.query_links import with_query

CHANGES = [
    {},
    {"page": None},
    {"status": "open", "page": None},
    {"page": 3},
    {"sort": "-created", "q": "printer & toner"},
    {"assignee": ["1", "2"]},
    {"missing": None},
    {"q": "ünïcode ✓ /?#="},
]
QUERIES = ["", "page=2", "status=open&page=4&q=a+b", "assignee=1&assignee=2&sort=due", "x=%26%3D"]


@pytest.mark.parametrize("changes", CHANGES, ids=str)
@pytest.mark.parametrize("query", QUERIES)
def test_the_same_query_string_as_djangos_querystring(query, changes):
    query_dict = QueryDict(query)
    arguments = " ".join(f"{key}=changes.{key}" for key in changes)
    djangos = Template(f"{{% querystring query_dict {arguments} %}}")
    context = Context({"query_dict": query_dict, "changes": changes})

    assert with_query(query_dict, **changes) == djangos.render(context).replace("&amp;", "&")


def test_the_query_itself_is_not_changed():
    query = QueryDict("status=open&page=2")

    with_query(query, status="pending", page=None)

    assert query.urlencode() == "status=open&page=2"


def test_the_tag_is_escaped_in_a_template():
    rendered = Template('{% load query_links %}<a href="{% with_query q a=1 b=2 %}">').render(
        Context({"q": QueryDict("")})
    )

    assert rendered == '<a href="?a=1&amp;b=2">'
