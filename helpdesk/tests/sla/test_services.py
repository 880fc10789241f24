"""How the targets move with a ticket: every rule of sla.services, through the ticket services."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, cast

import pytest
from django.db import IntegrityError, transaction
from shared.factories import StaffUserFactory, UserFactory

from inbound.models import Channel
from inbound.services import receive
from sla.models import ServiceLevel
from tests.factories import TicketFactory
from tests.inbound.conftest import eml
from tickets import reopening, services
from tickets.models import Priority, Status, Ticket, TicketChannel

if TYPE_CHECKING:
    from accounts.models import User

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def open_ticket(customer, priority=Priority.NORMAL) -> Ticket:
    return services.open_ticket(
        creator=customer, title="Printer on fire", description="Smoke.", priority=priority
    )


@pytest.fixture
def customer(db):
    return UserFactory.create()


@pytest.fixture
def agent(db):
    return StaffUserFactory.create()


# --- Opening ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "first_response", "resolution"),
    [
        (Priority.URGENT, 1, 4),
        (Priority.HIGH, 4, 24),
        (Priority.NORMAL, 24, 72),
        (Priority.LOW, 48, 120),
    ],
)
def test_opening_sets_both_targets_from_the_opening_time_in_calendar_hours(
    clock, customer, priority, first_response, resolution
):
    ticket = open_ticket(customer, priority)

    ticket.refresh_from_db()
    assert ticket.created_at == clock.now
    assert ticket.first_response_due_at == clock.now + first_response * HOUR
    assert ticket.resolution_due_at == clock.now + resolution * HOUR
    assert ticket.first_responded_at is None
    assert ticket.resolution_time_left is None


def test_a_new_tickets_next_due_time_is_its_first_response(clock, customer):
    ticket = open_ticket(customer, Priority.URGENT)

    assert Ticket.objects.get(pk=ticket.pk).due_at == clock.now + HOUR


def test_a_ticket_opened_by_email_gets_the_same_targets(clock, settings, db):
    settings.SUPPORT_EMAIL = "support@help.example.org"
    settings.HELPDESK_EMAIL_CREATES_ACCOUNTS = False
    UserFactory.create(email="alice@example.com")

    receive(eml("plain.eml"), channel=Channel.PIPE, notify=False)

    ticket = Ticket.objects.get()
    assert ticket.channel == TicketChannel.EMAIL
    assert ticket.first_response_due_at == clock.now + 24 * HOUR
    assert ticket.resolution_due_at == clock.now + 72 * HOUR
    assert ticket.due_at == clock.now + 24 * HOUR


def test_an_admin_edit_of_the_hours_applies_to_tickets_opened_after_it(clock, customer):
    before = open_ticket(customer, Priority.HIGH)
    ServiceLevel.objects.update_or_create(
        priority=Priority.HIGH, defaults={"first_response_hours": 2, "resolution_hours": 8}
    )

    after = open_ticket(customer, Priority.HIGH)

    before.refresh_from_db()
    assert before.first_response_due_at == clock.now + 4 * HOUR
    assert before.resolution_due_at == clock.now + 24 * HOUR
    assert after.first_response_due_at == clock.now + 2 * HOUR
    assert after.resolution_due_at == clock.now + 8 * HOUR


def test_a_missing_service_level_row_falls_back_to_the_documented_default(clock, customer):
    ServiceLevel.objects.filter(priority=Priority.LOW).delete()

    ticket = open_ticket(customer, Priority.LOW)

    assert ticket.first_response_due_at == clock.now + 48 * HOUR
    assert ticket.resolution_due_at == clock.now + 120 * HOUR


# --- First response --------------------------------------------------------------------------


def test_the_first_public_staff_reply_meets_the_first_response(clock, customer, agent):
    ticket = open_ticket(customer)
    replied_at = clock.advance(hours=3)

    services.add_comment(ticket=ticket, author=agent, body="On it.")

    ticket.refresh_from_db()
    assert ticket.first_responded_at == replied_at
    assert ticket.due_at == ticket.resolution_due_at == clock.now - 3 * HOUR + 72 * HOUR


def test_an_internal_note_does_not_meet_the_first_response(clock, customer, agent):
    ticket = open_ticket(customer)
    clock.advance(hours=1)

    services.add_comment(ticket=ticket, author=agent, body="Checking logs.", internal=True)

    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    assert ticket.due_at == ticket.first_response_due_at


def test_the_customers_own_comment_does_not_meet_the_first_response(clock, customer):
    ticket = open_ticket(customer)
    clock.advance(hours=1)

    services.add_comment(ticket=ticket, author=customer, body="Any news?")

    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    assert ticket.due_at == ticket.first_response_due_at


def test_a_second_staff_reply_does_not_move_the_first_response(clock, customer, agent):
    ticket = open_ticket(customer)
    first = clock.advance(hours=2)
    services.add_comment(ticket=ticket, author=agent, body="On it.")
    clock.advance(hours=5)

    services.add_comment(ticket=Ticket.objects.get(pk=ticket.pk), author=agent, body="Fixed?")

    ticket.refresh_from_db()
    assert ticket.first_responded_at == first


def test_a_reply_from_a_stale_copy_of_an_answered_ticket_keeps_the_first_response(
    clock, customer, agent
):
    """The database decides, not the copy in memory: two replies cannot both be first."""
    stale = open_ticket(customer)
    first = clock.advance(hours=1)
    services.add_comment(ticket=Ticket.objects.get(pk=stale.pk), author=agent, body="On it.")
    clock.advance(hours=1)

    other_agent = cast("User", StaffUserFactory.create())
    services.add_comment(ticket=stale, author=other_agent, body="Me too.")

    assert Ticket.objects.get(pk=stale.pk).first_responded_at == first


def test_a_staff_reply_to_a_pending_ticket_meets_the_first_response_and_nothing_falls_due(
    clock, customer, agent
):
    ticket = open_ticket(customer)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.PENDING)
    replied_at = clock.advance(hours=1)

    services.add_comment(ticket=ticket, author=agent, body="Which printer?")

    ticket.refresh_from_db()
    assert ticket.first_responded_at == replied_at
    assert ticket.due_at is None


# --- Pending pauses the resolution clock -----------------------------------------------------


def test_pending_stores_the_time_left_and_clears_the_deadlines(clock, customer, agent):
    ticket = open_ticket(customer)
    clock.advance(hours=10, seconds=7)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.PENDING)

    ticket.refresh_from_db()
    assert ticket.resolution_time_left == timedelta(hours=61, minutes=59, seconds=53)
    assert ticket.resolution_due_at is None
    assert ticket.due_at is None


def test_resuming_keeps_the_time_left_to_the_second(clock, customer, agent):
    ticket = open_ticket(customer)
    services.add_comment(ticket=ticket, author=agent, body="Which printer?")
    clock.advance(hours=10, seconds=7)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.PENDING)
    resumed_at = clock.advance(days=3, seconds=1)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.OPEN)

    ticket.refresh_from_db()
    assert ticket.resolution_due_at == resumed_at + timedelta(hours=61, minutes=59, seconds=53)
    assert ticket.due_at == ticket.resolution_due_at
    assert ticket.resolution_time_left is None


def test_a_ticket_paused_while_overdue_is_exactly_as_overdue_when_it_resumes(
    clock, customer, agent
):
    ticket = open_ticket(customer, Priority.URGENT)
    services.add_comment(ticket=ticket, author=agent, body="Looking.")
    clock.advance(hours=5)  # one hour past the 4-hour resolution target
    services.update_ticket(ticket=ticket, actor=agent, status=Status.PENDING)
    resumed_at = clock.advance(days=2)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.OPEN)

    ticket.refresh_from_db()
    assert ticket.resolution_due_at == resumed_at - HOUR
    assert Ticket.objects.overdue(resumed_at).filter(pk=ticket.pk).exists()


def test_resolving_a_pending_ticket_sets_the_deadline_it_would_have_had(clock, customer, agent):
    ticket = open_ticket(customer)
    clock.advance(hours=2)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.PENDING)
    resolved_at = clock.advance(days=10)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED)

    ticket.refresh_from_db()
    assert ticket.resolution_due_at == resolved_at + 70 * HOUR
    assert ticket.resolved_at == resolved_at  # on time: resolved_at <= resolution_due_at
    assert (ticket.due_at, ticket.resolution_time_left) == (None, None)


def test_resolving_keeps_the_final_deadline_for_reports(clock, customer, agent):
    ticket = open_ticket(customer, Priority.URGENT)
    deadline = clock.now + 4 * HOUR
    clock.advance(hours=6)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED)

    ticket.refresh_from_db()
    assert ticket.resolution_due_at == deadline
    assert ticket.due_at is None
    assert ticket.resolved_at == deadline + 2 * HOUR  # missed: the reports count it so


# --- Reopening -------------------------------------------------------------------------------


def test_staff_reopening_starts_a_fresh_resolution_target_from_the_reopening(
    clock, customer, agent
):
    ticket = open_ticket(customer, Priority.HIGH)
    services.add_comment(ticket=ticket, author=agent, body="Done.")
    clock.advance(hours=2)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED)
    reopened_at = clock.advance(days=5)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.OPEN)

    ticket.refresh_from_db()
    assert ticket.resolution_due_at == reopened_at + 24 * HOUR
    assert ticket.due_at == ticket.resolution_due_at


def test_a_customer_reply_that_reopens_starts_a_fresh_resolution_target(clock, customer, agent):
    ticket = open_ticket(customer, Priority.HIGH)
    services.add_comment(ticket=ticket, author=agent, body="Done.")
    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED)
    reopened_at = clock.advance(days=2)

    landed = reopening.reply(ticket=ticket, author=customer, body="Still broken.")

    assert landed.reopened
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.resolution_due_at == reopened_at + 24 * HOUR
    assert ticket.due_at == ticket.resolution_due_at


def test_reopening_an_unanswered_ticket_leaves_its_first_response_due(clock, customer, agent):
    opened_at = clock.now
    ticket = open_ticket(customer)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED)
    clock.advance(hours=1)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.OPEN)

    ticket.refresh_from_db()
    assert ticket.due_at == ticket.first_response_due_at == opened_at + 24 * HOUR


# --- Priority changes ------------------------------------------------------------------------


def test_raising_the_priority_rebases_unmet_targets_on_the_opening(clock, customer, agent):
    opened_at = clock.now
    ticket = open_ticket(customer, Priority.NORMAL)
    clock.advance(hours=2)

    services.update_ticket(ticket=ticket, actor=agent, priority=Priority.URGENT)

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == opened_at + 1 * HOUR
    assert ticket.resolution_due_at == opened_at + 4 * HOUR
    assert ticket.due_at == opened_at + HOUR  # already overdue: the customer waited 2 hours
    assert Ticket.objects.overdue(clock.now).filter(pk=ticket.pk).exists()


def test_a_priority_change_keeps_a_met_first_response_and_counts_paused_time(
    clock, customer, agent
):
    opened_at = clock.now
    ticket = open_ticket(customer, Priority.NORMAL)
    services.add_comment(ticket=ticket, author=agent, body="Which printer?")
    clock.advance(hours=1)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.PENDING)
    clock.advance(hours=30)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.OPEN)

    services.update_ticket(ticket=ticket, actor=agent, priority=Priority.HIGH)

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == opened_at + 24 * HOUR  # met: unchanged
    assert ticket.resolution_due_at == opened_at + 30 * HOUR + 24 * HOUR


def test_a_priority_change_while_pending_moves_the_time_left(clock, customer, agent):
    ticket = open_ticket(customer, Priority.LOW)
    clock.advance(hours=20)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.PENDING)

    services.update_ticket(ticket=ticket, actor=agent, priority=Priority.HIGH)

    ticket.refresh_from_db()
    assert ticket.resolution_time_left == 4 * HOUR  # 24 hours of high less the 20 spent
    assert (ticket.resolution_due_at, ticket.due_at) == (None, None)


def test_a_priority_change_after_resolution_keeps_the_final_deadline(clock, customer, agent):
    ticket = open_ticket(customer, Priority.NORMAL)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED)
    deadline = ticket.resolution_due_at

    services.update_ticket(ticket=ticket, actor=agent, priority=Priority.URGENT)

    ticket.refresh_from_db()
    assert ticket.resolution_due_at == deadline
    assert ticket.due_at is None


def test_reopening_and_a_new_priority_in_one_change_use_the_new_priority(clock, customer, agent):
    ticket = open_ticket(customer, Priority.LOW)
    services.update_ticket(ticket=ticket, actor=agent, status=Status.RESOLVED)
    reopened_at = clock.advance(days=1)

    services.update_ticket(ticket=ticket, actor=agent, status=Status.OPEN, priority=Priority.URGENT)

    ticket.refresh_from_db()
    assert ticket.resolution_due_at == reopened_at + 4 * HOUR


# --- The database's own rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.RESOLVED, "due_at": "now"},
        {"status": Status.PENDING, "due_at": "now"},
        {"status": Status.PENDING, "resolution_due_at": "now"},
        {"status": Status.OPEN, "resolution_time_left": timedelta(hours=1)},
    ],
    ids=["resolved-due", "pending-due", "pending-deadline", "open-time-left"],
)
def test_the_database_refuses_targets_that_contradict_the_status(clock, fields):
    values = {name: clock.now if value == "now" else value for name, value in fields.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketFactory.create(**values)
