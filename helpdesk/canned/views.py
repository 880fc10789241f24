"""Staff pages for the saved-reply library: list, create, edit, delete.

Staff only, like the dashboard: anonymous visitors go to the login page, customers get the
friendly 403 (``StaffRequiredMixin``). A duplicate title that slips past the form's check (two
staff saving at once) is caught from the database's constraint and shown as the same error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import ngettext
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from accounts.http import AuthenticatedHttpRequest
from canned.forms import CannedReplyForm
from canned.models import CannedReply
from config.mixins import ClampedPaginationMixin, StaffRequiredMixin

LIST_URL = reverse_lazy("canned:list")


class CannedReplyListView(StaffRequiredMixin, ClampedPaginationMixin, ListView[CannedReply]):
    model = CannedReply
    template_name = "canned/list.html"
    context_object_name = "replies"
    paginate_by = 20

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(query=self.request.GET, **kwargs)
        count = context["paginator"].count
        context["count_label"] = ngettext(
            "%(count)d saved reply", "%(count)d saved replies", count
        ) % {"count": count}
        return context


class SaveCannedReplyMixin(StaffRequiredMixin):
    """Saves the form in a savepoint; a title the database refuses becomes a field error."""

    success_message: str

    def form_valid(self, form: CannedReplyForm) -> HttpResponse:
        reply = form.save(commit=False)
        self.prepare(reply)
        try:
            with transaction.atomic():
                reply.save()
        except IntegrityError:
            # Another staff member saved the same title since this form checked it.
            form.add_error("title", "A saved reply with this title already exists.")
            return self.form_invalid(form)  # type: ignore[attr-defined, no-any-return]
        messages.success(self.request, self.success_message % {"title": reply.title})
        return HttpResponseRedirect(LIST_URL)

    def prepare(self, reply: CannedReply) -> None:
        """Set what the form does not: nothing, unless a view says otherwise."""


class CannedReplyCreateView(SaveCannedReplyMixin, CreateView[CannedReply, CannedReplyForm]):
    form_class = CannedReplyForm
    template_name = "canned/form.html"
    success_message = "Saved reply “%(title)s” created."
    request: AuthenticatedHttpRequest

    def prepare(self, reply: CannedReply) -> None:
        reply.created_by = self.request.user


class CannedReplyUpdateView(SaveCannedReplyMixin, UpdateView[CannedReply, CannedReplyForm]):
    """Edits keep the original author: ``created_by`` is who wrote the reply first."""

    model = CannedReply
    form_class = CannedReplyForm
    template_name = "canned/form.html"
    success_message = "Saved reply “%(title)s” updated."


class CannedReplyDeleteView(StaffRequiredMixin, DeleteView[CannedReply, Any]):
    """GET shows a confirmation page; only its POST deletes."""

    model = CannedReply
    template_name = "canned/confirm_delete.html"
    context_object_name = "reply"
    success_url = LIST_URL
    request: AuthenticatedHttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        title = self.object.title
        response = super().form_valid(form)
        messages.success(self.request, f"Saved reply “{title}” deleted.")
        return response
