"""Ticket pages. Every permission is checked here, on the server, whatever the page showed.

A logged-in user reaches a ticket only through ``Ticket.objects.visible_to(user)``, so another
customer's ticket is the same 404 as a missing one. Staff-only actions answer 403 to everyone
else and accept POST only. The views validate input and delegate every change to the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import CreateView, ListView

from accounts.http import AuthenticatedHttpRequest
from attachments.services import attach
from canned import services as canned_services
from config.mixins import ClampedPaginationMixin, StaffRequiredMixin
from satisfaction import services as satisfaction_services
from sla.targets import targets_of
from tickets import conversation, reopening, services
from tickets.counts import CountedPaginator, Tally, status_counts
from tickets.dashboard_tickets import DASHBOARD_SORTS, DashboardTickets, creator_names
from tickets.forms import (
    AssignForm,
    CacheableQuery,
    CommentForm,
    DashboardFilterForm,
    MyTicketsFilterForm,
    PriorityForm,
    StatusForm,
    TicketForm,
    cacheable_dashboard_query,
)
from tickets.models import Ticket, TicketChange
from tickets.own_tickets import OwnTickets

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest, HttpResponse, QueryDict


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send staff to their dashboard and customers to their tickets (anonymous: the login)."""
    return redirect("tickets:dashboard" if request.user.is_staff else "tickets:list")


class TicketListView(ClampedPaginationMixin, ListView[Ticket]):
    """The logged-in user's own tickets, newest first (staff too: the tickets they opened)."""

    template_name = "tickets/ticket_list.html"
    request: AuthenticatedHttpRequest
    context_object_name = "tickets"
    paginate_by = 20

    def get_queryset(self) -> OwnTickets:  # type: ignore[override] # paged like a QuerySet
        """Plain rows through composed statements (``tickets.own_tickets``), not a QuerySet."""
        self.filter_form = MyTicketsFilterForm(self.request.GET)
        self.filter_form.is_valid()
        return OwnTickets(self.request.user, self.filter_form.cleaned_data.get("status"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form, query=self.request.GET, **kwargs
        )


class TicketCreateView(CreateView[Ticket, TicketForm]):
    form_class = TicketForm
    template_name = "tickets/ticket_form.html"
    request: AuthenticatedHttpRequest

    def form_valid(self, form: TicketForm) -> HttpResponse:
        fields = dict(form.cleaned_data)
        uploads = fields.pop("attachments")
        user = self.request.user
        try:
            # One transaction: a file the storage refuses leaves no ticket (and no e-mail).
            with transaction.atomic():
                self.object = services.open_ticket(creator=user, **fields)
                attach(ticket=self.object, comment=None, uploads=uploads, uploaded_by=user)
        except ValidationError as error:
            form.add_error("attachments", error)
            return self.form_invalid(form)
        messages.success(self.request, f"Ticket #{self.object.pk} created. We will be in touch.")
        return redirect(self.object)


def ticket_page(
    request: AuthenticatedHttpRequest,
    ticket: Ticket,
    *,
    status: int = 200,
    **bound_forms: forms.BaseForm,
) -> HttpResponse:
    """Render a ticket with its conversation, history and the forms the user may use.

    The conversation and the history show a page each, the newest (``tickets.conversation``).

    An action whose input was invalid passes its bound form, so the errors show next to it.
    """
    user = request.user
    context: dict[str, Any] = {
        "ticket": ticket,
        # The newest page of each unless ?messages= / ?history= names an earlier one.
        "comments": conversation.newest_first(
            ticket.comments.visible_to(user)
            .select_related("author")
            .prefetch_related("attachments"),
            request.GET.get("messages"),
        ),
        "opening_attachments": ticket.attachments.of_opening_message(),
        "history": conversation.newest_first(
            ticket.history.select_related("actor"), request.GET.get("history")
        ),
        "comment_form": CommentForm(user=user),
        "linked_tickets": Ticket.objects.visible_to(user).linked_by_follow_up(ticket),
        "reply_starts_new_ticket": reopening.starts_new_ticket(ticket, user),
        "rating": satisfaction_services.visible_rating(ticket, user),
    }
    if user.is_staff:
        # Saved replies, rendered for this ticket (one query); ``?canned=<id>`` pre-fills the
        # reply box without JavaScript. An unknown or malformed value is ignored.
        canned_choices = canned_services.choices_for(ticket)
        canned_choice = canned_services.chosen(canned_choices, request.GET.get("canned"))
        context |= {
            "status_form": StatusForm(),
            "priority_form": PriorityForm(initial={"priority": ticket.priority}),
            "assign_form": AssignForm(initial={"assignee": ticket.assignee_id}),
            "canned_choices": canned_choices,
            "canned_choice": canned_choice,
            # Internal promises: staff only (sla.targets says why).
            "service_targets": targets_of(ticket, now=timezone.now()),
        }
        if canned_choice is not None:
            context["comment_form"] = CommentForm(user=user, initial={"body": canned_choice.text})
    context |= bound_forms
    return render(request, "tickets/ticket_detail.html", context, status=status)


class TicketDetailView(View):
    http_method_names = ["get", "head"]

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        tickets = Ticket.objects.visible_to(request.user).with_people().select_related("rating")
        ticket = get_object_or_404(tickets, pk=pk)
        return ticket_page(request, ticket)


class CommentCreateView(View):
    """Post a reply; the creator and staff only (others get the same 404 as the page)."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user).with_people(), pk=pk)
        form = CommentForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return ticket_page(request, ticket, status=400, comment_form=form)
        internal = form.cleaned_data.get("is_internal", False)
        try:
            # One transaction: a file the storage refuses leaves no comment (and no e-mail).
            with transaction.atomic():
                landed = reopening.reply(
                    ticket=ticket,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    internal=internal,
                )
                attach(
                    ticket=landed.ticket,
                    comment=landed.comment,
                    uploads=form.cleaned_data["attachments"],
                    uploaded_by=request.user,
                )
        except ValidationError as error:
            form.add_error("attachments", error)
            return ticket_page(request, ticket, status=400, comment_form=form)
        if landed.comment is None:
            messages.success(
                request,
                f"Ticket #{ticket.pk} was resolved too long ago to reopen, so your reply opened "
                f"this new ticket, #{landed.ticket.pk}.",
            )
            return redirect(landed.ticket)
        if landed.reopened:
            messages.success(request, "Reply posted; the ticket is open again.")
        else:
            messages.success(request, "Internal note added." if internal else "Reply posted.")
        return redirect(f"{ticket.get_absolute_url()}#comment-{landed.comment.pk}")


class StaffTicketActionView(StaffRequiredMixin, View):
    """A staff-only POST that changes one ticket field through ``services.update_ticket``.

    The form's field name is the service's argument name. On success it redirects to a safe
    ``next`` (the dashboard row's page) or the ticket; on bad input it shows the ticket page
    with the error next to the field and status 400.
    """

    http_method_names = ["post"]
    request: AuthenticatedHttpRequest
    form_class: type[forms.Form]
    context_name: str

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        ticket = get_object_or_404(Ticket.objects.with_people(), pk=pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                changes = services.update_ticket(
                    ticket=ticket, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self._report(ticket, changes)
                return redirect(self._next_url() or ticket.get_absolute_url())
        messages.error(request, "That change was not made; see the form below.")
        return ticket_page(request, ticket, status=400, **{self.context_name: form})

    def _report(self, ticket: Ticket, changes: list[TicketChange]) -> None:
        if not changes:
            messages.info(self.request, f"Ticket #{ticket.pk}: nothing to change.")
            return
        described = "; ".join(
            f"{change.get_field_display().lower()} {change.old_display} → {change.new_display}"
            for change in changes
        )
        messages.success(self.request, f"Ticket #{ticket.pk}: {described}.")

    def _next_url(self) -> str | None:
        url = self.request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return url if safe else None


class TicketStatusView(StaffTicketActionView):
    form_class = StatusForm
    context_name = "status_form"


class TicketPriorityView(StaffTicketActionView):
    form_class = PriorityForm
    context_name = "priority_form"


class TicketAssignView(StaffTicketActionView):
    form_class = AssignForm
    context_name = "assign_form"


class DashboardView(StaffRequiredMixin, ClampedPaginationMixin, ListView[Ticket]):
    """Every ticket for staff: counts, allowlisted filters and sorts, and per-row actions.

    Everything but the POST form (the "board") is rendered from a fixed number of queries
    whatever the number of tickets: the staff list for the assignee filter, one read of the
    tally for the cards and the page count (``tickets.counts``; a capped count for a search or
    the overdue list), the capped overdue count, the page and its creators. Staff reload it all
    day, so the board is kept in the shared cache for
    ``BOARD_CACHE_SECONDS``, keyed by the viewer (their "me" and "Take"), the canonical query
    (``forms.cacheable_dashboard_query``) and ``Ticket.objects.last_change()``: any ticket
    created or changed makes a new key at once. Only boards the site's own links lead to are
    stored (valid filters and sorts, an existing page, no search text); any other query string
    gets a board built for it and not kept, so no visitor can fill the cache.
    What can look stale until the entry expires: a renamed user, a new staff member in the
    assignee filter, a deleted ticket, a ticket that fell overdue since (time passing is no
    change). The CSRF token lives in the page around the board.
    """

    template_name = "tickets/dashboard.html"
    board_template_name = "tickets/dashboard_board.html"
    BOARD_CACHE_SECONDS = 10
    request: AuthenticatedHttpRequest
    context_object_name = "tickets"
    paginate_by = 25

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cacheable = cacheable_dashboard_query(request.GET)
        if cacheable is None:
            board = self.render_board(query=request.GET)
        else:
            key = self.board_cache_key(cacheable)
            board = cache.get(key)
            if board is None:
                board = self.render_board(query=cacheable.filters)
                if self.filter_form.is_valid() and self.shown_page == cacheable.page:
                    cache.set(key, board, self.BOARD_CACHE_SECONDS)
        return render(request, self.template_name, {"board": board})

    def render_board(self, *, query: QueryDict) -> str:
        """The board's HTML; its links keep the filters in ``query``."""
        self.object_list = self.get_queryset()  # type: ignore[assignment] # paged like a QuerySet
        context = self.get_context_data(query=query)
        self.shown_page: int = context["page_obj"].number
        return render_to_string(self.board_template_name, context, self.request)

    def board_cache_key(self, query: CacheableQuery) -> str:
        last_change = Ticket.objects.last_change()
        version = last_change.isoformat() if last_change else "none"
        filters = query.filters.urlencode()
        return f"dashboard-board:{self.request.user.pk}:{version}:{query.page}:{filters}"

    def get_queryset(self) -> DashboardTickets:  # type: ignore[override] # paged like a QuerySet
        """Plain rows through composed statements (``tickets.dashboard_tickets``)."""
        # One clock for the overdue filter, card and badges of this board.
        self.now = timezone.now()
        self.filter_form = DashboardFilterForm(
            self.request.GET, user=self.request.user, now=self.now
        )
        self.filter_form.is_valid()
        self.listed = self.filter_form.query()
        return DashboardTickets(self.listed)

    def paginator_for(self, queryset: DashboardTickets, page_size: int) -> CountedPaginator:
        """Paginate on the tally's exact count, or on a capped one (``tickets.counts``)."""
        tallied = self.listed.tallied_filters()
        if tallied is None:
            return CountedPaginator(queryset, page_size, count=queryset.capped_count(), capped=True)
        return CountedPaginator(queryset, page_size, count=self.tally.count(**tallied))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sort = self.listed.sort
        # One read of the tally for the cards and the page count.
        self.tally = Tally()
        context = super().get_context_data(
            filter_form=self.filter_form,
            counts=status_counts(user=self.request.user, now=self.now, tally=self.tally),
            now=self.now,
            current_sort=sort,
            current_sort_label=DASHBOARD_SORTS[sort][0],
            **kwargs,
        )
        context["creator_names"] = creator_names(context["tickets"])
        return context
