"""The one pagination style of the API: numbered pages with a client-chosen, capped size."""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

MAX_PAGE_SIZE = 100
#: ASCII digits only: Python's int() would also read " 3", "+3", "1_0" and "٣" (Arabic-Indic 3).
PLAIN_NUMBER = re.compile(r"[0-9]{1,18}")


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 100), answering ``count``, ``next``, ``previous``
    and ``results``. Cursor pagination would scale further; page numbers are what a shop's
    mobile app shows and what the catalogue's size needs.

    DRF reads both parameters with ``int()`` and quietly falls back to the first page or the
    default size when that fails. Here a value is a number in ASCII digits or a 400 naming the
    parameter: a client's typo is reported, and each page has one spelling (the list cache
    relies on that). A page past the last one stays DRF's 404; a size above 100 is served as
    100. An empty value means the default, as in an HTML form.
    """

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return self.page_size
        if not PLAIN_NUMBER.fullmatch(raw) or int(raw) == 0:
            raise ValidationError(
                {self.page_size_query_param: ["Use a whole number from 1 (at most 100 are sent)."]}
            )
        return min(int(raw), MAX_PAGE_SIZE)

    def get_page_number(self, request: Request, paginator: Paginator[Any]) -> int | str:
        raw = request.query_params.get(self.page_query_param, "")
        if raw and raw not in self.last_page_strings and not PLAIN_NUMBER.fullmatch(raw):
            raise ValidationError({self.page_query_param: ["Use a page number such as 2."]})
        page_number: int | str = super().get_page_number(request, paginator)
        return page_number
