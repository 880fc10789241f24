"""POST /tickets/<id>/status/, /priority/ and /assign/: staff only, validated, recorded."""

import pytest
from django.urls import reverse
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import TicketFactory
from tickets.models import Priority, Status

pytestmark = pytest.mark.django_db


def _url(name, ticket):
    return reverse(f"tickets:{name}", args=[ticket.pk])


def _history(ticket):
    return [(c.field, c.old_value, c.new_value, c.actor.username) for c in ticket.history.all()]


# --- Status -------------------------------------------------------------------------------


def test_staff_change_the_status_from_the_ticket_page(
    staff_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_url("status", ticket), {"status": "resolved"}, follow=True)

    ticket.refresh_from_db()
    assert response.redirect_chain == [(ticket.get_absolute_url(), 302)]
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None
    assert _history(ticket) == [("status", "open", "resolved", "agent")]
    assert "status Open → Resolved" in response.content.decode()
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("value", ["closed", "", "RESOLVED", "open'--"])
def test_an_invalid_status_value_is_a_form_error_not_a_500(staff_client, ticket, value):
    response = staff_client.post(_url("status", ticket), {"status": value})

    assert response.status_code == 400
    assert response.context["status_form"].errors["status"]
    assert b'class="error"' in response.content
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not ticket.history.exists()


def test_a_missing_status_field_is_a_form_error(staff_client, ticket):
    response = staff_client.post(_url("status", ticket), {})

    assert response.status_code == 400
    assert "This field is required." in response.context["status_form"].errors["status"]


def test_a_move_the_workflow_forbids_is_a_form_error(staff_client):
    ticket = TicketFactory.create(status=Status.RESOLVED)

    response = staff_client.post(_url("status", ticket), {"status": "pending"})

    assert response.status_code == 400
    assert response.context["status_form"].errors["status"] == [
        "A resolved ticket cannot become pending."
    ]
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_setting_the_current_status_says_nothing_changed(staff_client, ticket):
    response = staff_client.post(_url("status", ticket), {"status": "open"}, follow=True)

    assert "nothing to change" in response.content.decode()
    assert not ticket.history.exists()


def test_status_change_returns_to_a_safe_next_url(staff_client, ticket):
    response = staff_client.post(
        _url("status", ticket), {"status": "pending", "next": "/dashboard/?status=open&page=2"}
    )

    assert response.url == "/dashboard/?status=open&page=2"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_an_unsafe_next_url_is_ignored(staff_client, ticket, next_url):
    response = staff_client.post(_url("status", ticket), {"status": "pending", "next": next_url})

    assert response.url == ticket.get_absolute_url()


def test_status_of_a_missing_ticket_is_404_for_staff(staff_client):
    assert staff_client.post("/tickets/999999/status/", {"status": "open"}).status_code == 404


# --- Priority -----------------------------------------------------------------------------


def test_staff_change_the_priority(staff_client, ticket, mailoutbox):
    staff_client.post(_url("priority", ticket), {"priority": "urgent"})

    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    assert _history(ticket) == [("priority", "normal", "urgent", "agent")]
    assert mailoutbox == []


def test_an_invalid_priority_is_a_form_error(staff_client, ticket):
    response = staff_client.post(_url("priority", ticket), {"priority": "critical"})

    assert response.status_code == 400
    assert response.context["priority_form"].errors["priority"]
    ticket.refresh_from_db()
    assert ticket.priority == Priority.NORMAL


# --- Assignment ---------------------------------------------------------------------------


def test_staff_assign_a_ticket_to_themselves(staff_client, staff_user, ticket):
    staff_client.post(_url("assign", ticket), {"assignee": staff_user.pk})

    ticket.refresh_from_db()
    assert ticket.assignee == staff_user
    assert _history(ticket) == [("assignee", "", "agent", "agent")]


def test_staff_assign_a_ticket_to_a_colleague_and_unassign_it(staff_client, ticket):
    colleague = StaffUserFactory.create(username="colleague")

    staff_client.post(_url("assign", ticket), {"assignee": colleague.pk})
    staff_client.post(_url("assign", ticket), {"assignee": ""})

    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert _history(ticket) == [
        ("assignee", "", "colleague", "agent"),
        ("assignee", "colleague", "", "agent"),
    ]


@pytest.mark.parametrize(
    "assignee",
    [
        pytest.param(lambda: UserFactory.create().pk, id="customer"),
        pytest.param(lambda: StaffUserFactory.create(is_active=False).pk, id="inactive-staff"),
        pytest.param(lambda: 999999, id="missing"),
        pytest.param(lambda: "me", id="junk"),
    ],
)
def test_assigning_to_anyone_but_active_staff_is_a_form_error(staff_client, ticket, assignee):
    response = staff_client.post(_url("assign", ticket), {"assignee": assignee()})

    assert response.status_code == 400
    assert response.context["assign_form"].errors["assignee"]
    ticket.refresh_from_db()
    assert ticket.assignee is None
