"""Forms validate input and nothing else; the views hand the cleaned values to the services."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from attachments.forms import add_attachments_field
from config import composed
from tickets.dashboard_tickets import DASHBOARD_SORTS, DEFAULT_SORT, DashboardQuery
from tickets.models import Comment, Priority, Status, Ticket
from tickets.widgets import PlainSelect

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User


class TicketForm(forms.ModelForm[Ticket]):
    """What a customer fills in; the creator comes from the session, never from here."""

    class Meta:
        model = Ticket
        fields = ["title", "description", "priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"description": "What happened, what you expected, and any error shown."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_attachments_field(self)


class CommentForm(forms.ModelForm[Comment]):
    class Meta:
        model = Comment
        fields = ["body", "is_internal"]
        labels = {"body": "Message"}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_attachments_field(self)
        self.order_fields(["body", "attachments"])
        if not user.is_staff:
            # Not offered, so a forged "is_internal" from a customer is simply ignored.
            del self.fields["is_internal"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(choices=Priority.choices)


def staff_users() -> QuerySet[User]:
    """The people a ticket can be assigned to."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


def staff_choices() -> list[tuple[str, str]]:
    """``(key, username)`` of each of :func:`staff_users`, for a filter's choices.

    The dashboard's assignee filter lists them on every view; the query is sent as a statement
    the ORM composed once per process (``config.composed``): 0.29 -> 0.07 ms.
    """
    alias = router.db_for_read(get_user_model())

    def names() -> QuerySet[User, tuple[int, str]]:
        # Built only to be composed, or when it cannot be: building it cost as much as
        # sending the composed statement.
        return staff_users().values_list("pk", get_user_model().USERNAME_FIELD)

    statement = composed.statement(alias, "tickets.staff_choices", {}, lambda: (names(), "%s"))
    rows = statement.rows(alias, {}) if statement is not None else list(names())
    return [(str(pk), username) for pk, username in rows]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=staff_users(), required=False, empty_label="Unassigned"
    )


class MyTicketsFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices], required=False, widget=PlainSelect
    )


MINE = "mine"
UNASSIGNED = "unassigned"
OVERDUE = "overdue"


class DashboardFilterForm(forms.Form):
    """Every filter the dashboard offers, each one checked against a fixed list of choices.

    Invalid values are reported next to their field and ignored; valid ones still apply.
    """

    q = forms.CharField(label="Search", max_length=200, required=False, strip=True)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices], required=False, widget=PlainSelect
    )
    priority = forms.ChoiceField(
        choices=[("", "Any priority"), *Priority.choices], required=False, widget=PlainSelect
    )
    assignee = forms.ChoiceField(required=False, widget=PlainSelect)
    due = forms.ChoiceField(
        label="Due",
        choices=[("", "Any due time"), (OVERDUE, "Overdue")],
        required=False,
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in DASHBOARD_SORTS.items()],
        required=False,
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, user: User, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.now = now or timezone.now()
        cast("forms.ChoiceField", self.fields["assignee"]).choices = [
            ("", "Anyone"),
            (MINE, "Assigned to me"),
            (UNASSIGNED, "Unassigned"),
            *staff_choices(),
        ]

    def query(self) -> DashboardQuery:
        """What to list: the valid filters and sort (call after ``is_valid()``; a field with an
        error is left out)."""
        data = self.cleaned_data
        return DashboardQuery(
            text=data.get("q") or "",
            status=data.get("status") or None,
            priority=data.get("priority") or None,
            assignee=self._assignee_key(),
            unassigned=data.get("assignee") == UNASSIGNED,
            overdue_at=self.now if data.get("due") == OVERDUE else None,
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def _assignee_key(self) -> int | None:
        """The key of the staff member asked for ("mine" is the viewer), or None."""
        assignee = self.cleaned_data.get("assignee")
        if assignee == MINE:
            return int(self.user.pk)
        if assignee and assignee != UNASSIGNED:
            return int(assignee)
        return None


# A page number or a user id as the site writes them: ASCII digits, no leading zero, at most 18
# of them (so it fits a 64-bit integer). "007", "1_0", "٣" or 2**64 are valid to Python's int()
# but never in one of the site's own links.
_CANONICAL_NUMBER = re.compile(r"[1-9][0-9]{0,17}")
# The values a cacheable dashboard query may give each parameter; "assignee" (a staff member)
# and "page" may also be a canonical number. Any search text is what a visitor typed: not cached.
_CACHEABLE_VALUES = {
    "q": {""},
    "status": {"", *Status.values},
    "priority": {"", *Priority.values},
    "assignee": {"", MINE, UNASSIGNED},
    "due": {"", OVERDUE},
    "sort": {"", *DASHBOARD_SORTS},
    "page": {""},
}
_NUMBERED = {"assignee", "page"}


class CacheableQuery(NamedTuple):
    filters: QueryDict
    page: int


def cacheable_dashboard_query(data: QueryDict) -> CacheableQuery | None:
    """The dashboard's query string in one canonical form, or None if it must not be cached.

    The canonical form keeps the non-empty filters in a fixed order and the page as a number,
    so ``?sort=created&status=open&priority=`` and ``?status=open&sort=created`` are one board.
    None for anything the site's own links and forms never produce: a search text (whatever a
    visitor types), an unknown or repeated parameter, a value outside the choices, a number
    written oddly. Those boards are built for the request and never stored, so the cache grows
    with tickets, staff and pages, never with what visitors type. Checked without a query; the
    view still stores a board only if the filter form accepted it and the page exists.
    """
    for key, values in data.lists():
        if len(values) != 1 or not _is_cacheable(key, values[0]):
            return None
    filters = QueryDict(mutable=True)
    for name in ("status", "priority", "assignee", "due", "sort"):
        if value := data.get(name):
            filters[name] = value
    return CacheableQuery(filters, int(data.get("page") or 1))


def _is_cacheable(key: str, value: str) -> bool:
    if key in _NUMBERED and _CANONICAL_NUMBER.fullmatch(value):
        return True
    return value in _CACHEABLE_VALUES.get(key, ())
