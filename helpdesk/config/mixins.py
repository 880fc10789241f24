"""Mixins the staff and list pages of several apps share (tickets, canned replies, reports).

They live here, with the project's other cross-app plumbing, so that no app imports another's
views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.paginator import Paginator

if TYPE_CHECKING:
    from django.http import HttpRequest


class StaffRequiredMixin(UserPassesTestMixin):
    """403 for a logged-in user who is not staff (LoginRequiredMiddleware handles anonymous)."""

    raise_exception = True
    request: HttpRequest

    def test_func(self) -> bool:
        return self.request.user.is_staff


class ClampedPaginationMixin:
    """Paginate like ``ListView`` but show the last page for a page past the end, not a 404.

    Filters change the number of pages under a user's feet; a stale page link should still
    show tickets.
    """

    request: HttpRequest

    def paginator_for(self, queryset: Any, page_size: int) -> Paginator[Any]:
        """A plain ``Paginator``; a view that knows its count more cheaply overrides this."""
        return Paginator(queryset, page_size)

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, ...]:
        paginator = self.paginator_for(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
