import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _authenticate(username, password):
    # django-axes' backend needs the request, as every real login has one.
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password)


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        # Unmanaged models have no table (django-rq's admin-only "Dashboard", with REDIS_URL).
        if model._meta.managed
        and model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth"}
    }


def test_demo_data_creates_a_staff_user_and_an_ordinary_user():
    call_command("load_demo_data", stdout=None)

    users = get_user_model().objects.all()
    assert users.filter(is_staff=True).exists()
    assert users.filter(is_staff=False).exists()


def test_every_demo_account_logs_in_with_the_documented_password():
    call_command("load_demo_data")

    for account in DEMO_ACCOUNTS:
        assert _authenticate(account.username, DEMO_PASSWORD) is not None


def test_loading_demo_data_twice_creates_nothing_twice():
    call_command("load_demo_data")
    first = _counts()

    call_command("load_demo_data")

    assert _counts() == first


def test_demo_data_leaves_a_changed_password_alone():
    call_command("load_demo_data")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-developer")
    admin.save()

    call_command("load_demo_data")

    assert _authenticate("admin", "changed-by-the-developer") is not None


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
    assert set(Ticket.objects.values_list("creator__username", flat=True)) == {"alice", "bob"}
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

    assert callbacks == []
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
