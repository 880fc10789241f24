"""The one pagination style of the API: numbered pages with a client-chosen, capped size."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 100), answering ``count``, ``next``, ``previous``
    and ``results``. Cursor pagination would scale further; page numbers are what a shop's
    mobile app shows and what the catalogue's size needs."""

    page_size_query_param = "page_size"
    max_page_size = 100
