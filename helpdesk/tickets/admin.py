"""The tickets admin. Status, priority and assignee changes go through ``services.update_ticket``.

So an edit in the admin writes the same history rows (and sends the same e-mail) as the pages.
History and conversation are shown read-only; nothing here can add, edit or delete them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attachments.admin import AttachmentInline
from config.admin import CheckedChangeListMixin, ExistingRowsFormSet
from sla import services as sla
from tickets import services
from tickets.models import (
    Comment,
    Status,
    Ticket,
    TicketChange,
    can_change_status,
    refused_status_change_message,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from accounts.models import User

TRACKED_FIELDS = ("status", "priority", "assignee")

_Row = TypeVar("_Row", Comment, TicketChange)


def _staff(request: HttpRequest) -> User:
    """The admin's user: the admin site lets only active staff in, never an anonymous visitor."""
    return cast("User", request.user)


class NewestRowsFormSet(ExistingRowsFormSet):
    """The newest 50 rows (the inlines below order newest first); the ticket page pages
    through all of them (``tickets.conversation``)."""

    max_rows = 50


class ReadOnlyInline(admin.TabularInline[_Row, Ticket]):
    """A ticket's replies or history, newest first, the newest 50 only."""

    formset = NewestRowsFormSet
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TicketChangeInline(ReadOnlyInline[TicketChange]):
    model = TicketChange
    fields = readonly_fields = ("created_at", "actor", "field", "old_display", "new_display")
    verbose_name = "history entry"
    verbose_name_plural = "history, the newest 50 changes (the ticket page has them all)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[TicketChange]:
        return super().get_queryset(request).select_related("actor").order_by("-created_at", "-pk")

    @admin.display(description="from")
    def old_display(self, change: TicketChange) -> str:
        return change.old_display

    @admin.display(description="to")
    def new_display(self, change: TicketChange) -> str:
        return change.new_display


class CommentInline(ReadOnlyInline[Comment]):
    model = Comment
    fields = readonly_fields = ("created_at", "author", "is_internal", "body")
    verbose_name_plural = (
        "conversation, the newest 50 messages (read all and post replies on the ticket page)"
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return super().get_queryset(request).select_related("author").order_by("-created_at", "-pk")


class TicketAdminForm(forms.ModelForm[Ticket]):
    """Refuses a status move the workflow does not allow, as a form error instead of a 500."""

    class Meta:
        model = Ticket
        fields = ["creator", "title", "description", "status", "priority", "assignee"]

    def clean_status(self) -> str:
        status: str = self.cleaned_data["status"]
        old: str | None = self.initial.get("status")  # None on the add form
        if old is not None and status != old and not can_change_status(old, status):
            raise ValidationError(refused_status_change_message(old, status))
        return status


@admin.register(Ticket)
class TicketAdmin(CheckedChangeListMixin, admin.ModelAdmin[Ticket]):
    form = TicketAdminForm
    list_display = ("id", "title", "creator", "status", "priority", "assignee", "updated_at")
    list_display_links = ("id", "title")
    list_filter = ("status", "priority", ("assignee", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "description", "creator__username", "creator__email")
    list_select_related = ("creator", "assignee")
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = (CommentInline, AttachmentInline, TicketChangeInline)
    actions = ("mark_open", "mark_pending", "mark_resolved", "assign_to_me")
    readonly_fields = (
        "created_at",
        "updated_at",
        "resolved_at",
        # Service-level targets (``sla``): moved by the services, never typed in.
        "first_response_due_at",
        "first_responded_at",
        "resolution_due_at",
        "due_at",
    )
    raw_id_fields = ("creator",)

    def get_fields(self, request: HttpRequest, obj: Ticket | None = None) -> tuple[str, ...]:
        if obj is None:  # A new ticket starts open and unassigned, like one from the site.
            return ("creator", "title", "description", "priority")
        return ("creator", "title", "description", *TRACKED_FIELDS, *self.readonly_fields)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Ticket | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("creator", *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Ticket, form: Any, change: bool) -> None:
        """Save plain fields directly and tracked ones through the service (history, e-mail)."""
        if not change:
            # Opened here, it gets the targets a ticket opened on the site gets.
            obj.created_at = timezone.now()
            sla.start_clocks(obj, opened_at=obj.created_at)
            obj.save()
            return
        tracked = {name: form.cleaned_data[name] for name in TRACKED_FIELDS}
        plain = [name for name in form.changed_data if name not in TRACKED_FIELDS]
        with transaction.atomic():
            if plain:
                obj.save(update_fields=[*plain, "updated_at"])
            services.update_ticket(ticket=obj, actor=_staff(request), **tracked)

    @admin.action(description="Reopen selected tickets", permissions=["change"])
    def mark_open(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._update_each(request, queryset, status=Status.OPEN)

    @admin.action(description="Mark selected tickets pending", permissions=["change"])
    def mark_pending(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._update_each(request, queryset, status=Status.PENDING)

    @admin.action(description="Resolve selected tickets", permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._update_each(request, queryset, status=Status.RESOLVED)

    @admin.action(description="Assign selected tickets to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        self._update_each(request, queryset, assignee=_staff(request))

    def _update_each(self, request: HttpRequest, queryset: QuerySet[Ticket], **values: Any) -> None:
        changed, refused = 0, []
        for ticket in queryset.select_related("assignee"):
            try:
                changed += bool(
                    services.update_ticket(ticket=ticket, actor=_staff(request), **values)
                )
            except ValidationError:
                refused.append(f"#{ticket.pk}")
        self.message_user(request, f"{changed} ticket(s) changed.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"Not allowed by the workflow, left as they were: {', '.join(refused)}.",
                messages.WARNING,
            )
