"""Pages of a long list without counting every row on every view.

Django's ``Paginator`` counts the whole result (``COUNT(*)``) to number the pages, and each
view of the recipe list paid for it: 100,000 recipes counted to show twelve. This paginator
counts at most :data:`COUNT_CAP` + 1 rows (a ``COUNT`` over a ``LIMIT`` subquery) and says
"1,000+" beyond; it finds out whether there is a next page by asking for one row more than a
page, so navigating never needs the total. A page past the end is still a 404. Deep pages
read their rows by key (see :func:`_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

COUNT_CAP = 1_000
# SQL's LIMIT and OFFSET are 64-bit: a page starting further than that has no rows anywhere.
_LAST_ROW = 2**63 - 1


class CappedPage(Page[Any]):
    """A page that knows whether another follows it from the row it fetched beyond its end."""

    def __init__(
        self, object_list: Sequence[Any], number: int, paginator: Paginator[Any], *, has_next: bool
    ) -> None:
        super().__init__(object_list, number, paginator)
        self.next_exists = has_next

    def has_next(self) -> bool:
        return self.next_exists

    def end_index(self) -> int:
        return self.start_index() + len(self) - 1 if len(self) else 0


class CappedCountPaginator(Paginator[Any]):
    """``count`` is exact up to :data:`COUNT_CAP` rows; beyond, it is ``COUNT_CAP + 1`` and
    ``count_is_capped`` is true: templates show :attr:`count_label` ("1,000+") and no
    "of N" pages."""

    @cached_property
    def count(self) -> int:
        """A list that counts itself up to the cap (``list_page.RecipeList.capped_count``) is
        asked to; otherwise ``COUNT`` over ``LIMIT COUNT_CAP + 1``, or the length of a list."""
        counting = getattr(self.object_list, "capped_count", None)
        if counting is not None:
            return int(counting())
        rows = self.object_list[: COUNT_CAP + 1]
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def count_label(self) -> str:
        """The count as a page shows it: "12", "1,000", or "1,000+" past the cap."""
        return f"{COUNT_CAP:,}+" if self.count_is_capped else f"{self.count:,}"

    def validate_number(self, number: Any) -> int:
        """A whole number from 1: whether that page exists is known once its rows are read."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            whole = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if whole < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if whole * self.per_page >= _LAST_ROW:
            raise EmptyPage(self.error_messages["no_results"])
        return whole

    def page(self, number: Any) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(_rows(self.object_list, bottom, bottom + self.per_page + 1))
        if not rows and not (number == 1 and self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        if number == 1 and len(rows) <= self.per_page:
            self.__dict__["count"] = len(rows)  # the whole list is on this page: no count needed
        return CappedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


def _rows(object_list: Any, start: int, stop: int) -> Any:
    """Rows ``start`` to ``stop`` of the list; for a queryset, by their keys first.

    ``OFFSET`` makes the database step over every earlier row: with the full rows (and their
    authors joined) page 8,000 of 100,000 recipes took 45 ms; stepping over the order's index
    entries for their keys alone, then reading the page's rows by key, takes a few. Still one
    query: the keys are a subquery. The first page has nothing to step over: it is read
    directly, which spares compiling the subquery (0.25 ms of every first page).
    """
    if not isinstance(object_list, QuerySet) or start == 0:
        return object_list[start:stop]
    keys = object_list.values("pk")[start:stop]
    return object_list.filter(pk__in=keys)
