"""What the demo data shows; that it loads, logs every account in and loads again unchanged is
the shared contract's (tests/test_contract.py, ``TestDemoData``)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from config import planner_statistics

pytestmark = pytest.mark.django_db


def test_demo_data_has_an_agent_and_two_customers():
    call_command("load_demo_data")

    users = get_user_model().objects
    assert users.get(username="agent").is_staff
    assert not users.get(username="agent").is_superuser
    assert users.get(username="admin").is_superuser
    assert not users.filter(username__in=["alice", "bob"], is_staff=True).exists()


def test_demo_tickets_cover_every_status_with_replies_notes_and_history():
    from tickets.models import Comment, Status, Ticket, TicketChange

    call_command("load_demo_data")

    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Ticket.objects.values_list("creator__username", flat=True)) == {
        "alice",
        "bob",
        "carol",  # the past tickets of the reports page (demo/history.py)
    }
    assert Comment.objects.filter(is_internal=False).exists()
    assert Comment.objects.filter(is_internal=True).exists()
    assert set(TicketChange.objects.values_list("field", flat=True)) == {
        "status",
        "priority",
        "assignee",
    }


def test_loading_demo_data_sends_no_email(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("load_demo_data")

    # Nothing is queued for the worker; the one callback refreshes the planner's statistics.
    assert callbacks == [planner_statistics.refresh]
    assert mailoutbox == []


def test_demo_data_has_tickets_with_attachments_a_preview_and_a_staff_only_file():
    from attachments.models import Attachment

    call_command("load_demo_data")

    # (The ticket that arrived by e-mail has its own test: tests/inbound/test_demo.py.)
    attachments = Attachment.objects.exclude(ticket__channel="email")
    assert {a.name for a in attachments} == {
        "login-error.png",
        "audit-log.txt",
        "invoice-2026-03.pdf",
    }
    assert attachments.get(name="login-error.png").has_thumbnail
    note = attachments.get(name="audit-log.txt").comment
    assert note is not None
    assert note.is_internal


def test_demo_tickets_show_overdue_due_soon_met_and_paused_targets():
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from tickets.models import Status, Ticket

    call_command("load_demo_data")

    now, tickets = timezone.now(), Ticket.objects.all()
    assert tickets.overdue(now).count() >= 2
    assert tickets.filter(due_at__gte=now, due_at__lt=now + timedelta(hours=3)).exists()
    met = tickets.filter(status=Status.OPEN, first_responded_at__lte=F("first_response_due_at"))
    assert met.exists()
    assert tickets.filter(status=Status.PENDING, resolution_time_left__gt=timedelta(0)).exists()


def test_demo_data_has_a_ticket_its_customer_reopened_and_a_follow_up():
    from tickets.models import Status, Ticket, TicketChange

    call_command("load_demo_data")

    reopened = Ticket.objects.get(title="Password reset e-mail never arrives")
    last = reopened.history.filter(field="status").last()
    assert isinstance(last, TicketChange)
    assert (reopened.status, last.new_value, last.actor) == (Status.OPEN, "open", reopened.creator)
    follow_up = Ticket.objects.get(follows_up__title="Label printer prints blank labels")
    assert follow_up.title == "Re: Label printer prints blank labels"
