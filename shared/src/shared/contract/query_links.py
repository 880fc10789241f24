"""``config.query_links`` (the same module in the projects that use it): ``{% with_query %}``
writes what Django's ``{% querystring %}`` writes, for every kind of query and change, never
changes the query it reads, and is escaped like any tag's output. Subclass as
``TestQueryLinks``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.http import QueryDict
from django.template import Context, Template

CHANGES: list[dict[str, Any]] = [
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


def _with_query(query: QueryDict, **changes: Any) -> str:
    result: str = import_module("config.query_links").with_query(query, **changes)
    return result


class QueryLinksContract:
    @pytest.mark.parametrize("changes", CHANGES, ids=str)
    @pytest.mark.parametrize("query", QUERIES)
    def test_the_same_query_string_as_djangos_querystring(
        self, query: str, changes: dict[str, Any]
    ) -> None:
        query_dict = QueryDict(query)
        arguments = " ".join(f"{key}=changes.{key}" for key in changes)
        djangos = Template(f"{{% querystring query_dict {arguments} %}}")
        context = Context({"query_dict": query_dict, "changes": changes})

        assert _with_query(query_dict, **changes) == djangos.render(context).replace("&amp;", "&")

    def test_the_query_itself_is_not_changed(self) -> None:
        query = QueryDict("status=open&page=2")

        _with_query(query, status="pending", page=None)

        assert query.urlencode() == "status=open&page=2"

    def test_the_tag_is_escaped_in_a_template(self) -> None:
        template = Template('{% load query_links %}<a href="{% with_query q a=1 b=2 %}">')

        assert template.render(Context({"q": QueryDict("")})) == '<a href="?a=1&amp;b=2">'
