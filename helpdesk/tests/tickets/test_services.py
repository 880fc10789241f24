from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from shared.factories import StaffUserFactory, UserFactory

# cast("User", ...): shared's factories are typed AbstractUser, AUTH_USER_MODEL is User.
from accounts.models import User
from mail.models import OutboundEmail
from tests.factories import TicketFactory
from tickets import services
from tickets.models import Comment, Priority, Status, Ticket, TicketChange, TrackedField

pytestmark = pytest.mark.django_db


def _history(ticket):
    return [
        (change.field, change.old_value, change.new_value, change.actor.username)
        for change in ticket.history.all()
    ]


# --- open_ticket --------------------------------------------------------------------------


def test_open_ticket_belongs_to_its_creator_and_starts_open(user):
    ticket = services.open_ticket(
        creator=user, title="Help", description="Broken.", priority=Priority.HIGH
    )

    ticket.refresh_from_db()
    assert ticket.creator == user
    assert ticket.status == Status.OPEN
    assert ticket.priority == Priority.HIGH
    assert not ticket.history.exists()


# --- update_ticket: status ----------------------------------------------------------------


def test_resolving_sets_resolved_at_and_records_the_change(ticket, staff_user):
    changes = services.update_ticket(ticket=ticket, actor=staff_user, status=Status.RESOLVED)

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None
    assert len(changes) == 1
    assert _history(ticket) == [("status", "open", "resolved", "agent")]


def test_reopening_clears_resolved_at(staff_user):
    ticket = TicketFactory.create(status=Status.RESOLVED)

    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.OPEN)

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.resolved_at is None


def test_the_callers_ticket_is_updated_in_place(ticket, staff_user):
    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.RESOLVED)

    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None


def test_disallowed_status_move_is_a_validation_error_and_changes_nothing(staff_user):
    ticket = TicketFactory.create(status=Status.RESOLVED)

    with pytest.raises(ValidationError) as error:
        services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)

    assert error.value.message_dict == {"status": ["A resolved ticket cannot become pending."]}
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert not ticket.history.exists()


def test_unknown_status_is_a_validation_error(ticket, staff_user):
    with pytest.raises(ValidationError) as error:
        services.update_ticket(ticket=ticket, actor=staff_user, status="closed")

    assert "status" in error.value.message_dict


def test_setting_the_current_status_records_nothing(ticket, staff_user):
    changes = services.update_ticket(ticket=ticket, actor=staff_user, status=Status.OPEN)

    assert changes == []
    assert not ticket.history.exists()


def test_old_value_is_read_from_the_database_not_the_callers_copy(ticket, staff_user):
    stale = Ticket.objects.get(pk=ticket.pk)
    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)

    services.update_ticket(ticket=stale, actor=staff_user, status=Status.RESOLVED)

    assert _history(ticket) == [
        ("status", "open", "pending", "agent"),
        ("status", "pending", "resolved", "agent"),
    ]


# --- update_ticket: priority and assignee -------------------------------------------------


def test_priority_change_is_recorded(ticket, staff_user):
    services.update_ticket(ticket=ticket, actor=staff_user, priority=Priority.URGENT)

    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    assert _history(ticket) == [("priority", "normal", "urgent", "agent")]


def test_unknown_priority_is_a_validation_error(ticket, staff_user):
    with pytest.raises(ValidationError) as error:
        services.update_ticket(ticket=ticket, actor=staff_user, priority="critical")

    assert "priority" in error.value.message_dict


def test_assigning_and_unassigning_are_recorded_by_username(ticket, staff_user):
    colleague = cast("User", StaffUserFactory.create(username="colleague"))

    services.update_ticket(ticket=ticket, actor=staff_user, assignee=colleague)
    services.update_ticket(ticket=ticket, actor=staff_user, assignee=None)

    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert _history(ticket) == [
        ("assignee", "", "colleague", "agent"),
        ("assignee", "colleague", "", "agent"),
    ]


@pytest.mark.parametrize(
    "assignee",
    [
        pytest.param(lambda: UserFactory.create(), id="customer"),
        pytest.param(lambda: StaffUserFactory.create(is_active=False), id="inactive-staff"),
    ],
)
def test_only_active_staff_can_be_assigned(ticket, staff_user, assignee):
    with pytest.raises(ValidationError) as error:
        services.update_ticket(ticket=ticket, actor=staff_user, assignee=assignee())

    assert "assignee" in error.value.message_dict
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_several_fields_change_in_one_call_with_one_row_each(ticket, staff_user):
    changes = services.update_ticket(
        ticket=ticket,
        actor=staff_user,
        status=Status.PENDING,
        priority=Priority.LOW,
        assignee=staff_user,
    )

    assert [change.field for change in changes] == [
        TrackedField.STATUS,
        TrackedField.PRIORITY,
        TrackedField.ASSIGNEE,
    ]
    assert TicketChange.objects.count() == 3


def test_a_refused_field_rolls_back_the_others(ticket, staff_user):
    with pytest.raises(ValidationError):
        services.update_ticket(
            ticket=ticket,
            actor=staff_user,
            status=Status.PENDING,
            assignee=cast("User", UserFactory.create()),
        )

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not TicketChange.objects.exists()


def test_customers_cannot_update_tickets_even_their_own(ticket, user):
    with pytest.raises(PermissionDenied):
        services.update_ticket(ticket=ticket, actor=user, status=Status.RESOLVED)

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


# --- update_ticket: e-mail ----------------------------------------------------------------


def test_status_change_emails_the_creator_after_commit(
    ticket, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)

    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [ticket.creator.email]
    assert "Pending" in mailoutbox[0].subject


def test_a_status_change_and_its_email_are_written_in_one_transaction(
    ticket, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (change,) = services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)

        # Before the commit: the e-mail is already a row of the same transaction...
        email = OutboundEmail.objects.get()

    assert email.event_key == f"ticket-{ticket.pk}-change-{change.pk}"
    assert email.recipient == ticket.creator.email
    assert len(callbacks) == 1  # ...and its delivery waits for the commit


def test_a_change_rolled_back_with_its_request_leaves_no_email(
    ticket, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    def change_then_fail():
        with transaction.atomic():
            services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)
            raise RuntimeError("a later step of the same request failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_then_fail()

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_priority_and_assignee_changes_send_no_email(
    ticket, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_ticket(
            ticket=ticket, actor=staff_user, priority=Priority.HIGH, assignee=staff_user
        )

    assert mailoutbox == []


def test_staff_updating_their_own_ticket_are_not_emailed(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory.create(creator=staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_ticket(ticket=ticket, actor=staff_user, status=Status.RESOLVED)

    assert mailoutbox == []


def test_status_change_without_notify_is_recorded_but_not_emailed(
    ticket, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes = services.update_ticket(
            ticket=ticket, actor=staff_user, status=Status.RESOLVED, notify=False
        )

    assert [change.field for change in changes] == [TrackedField.STATUS]
    assert ticket.history.count() == 1
    assert mailoutbox == []


# --- add_comment --------------------------------------------------------------------------


def test_creator_replies_publicly_without_emailing_themselves(
    ticket, user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(ticket=ticket, author=user, body="Any news?")

    assert comment.is_internal is False
    assert mailoutbox == []


def test_public_staff_reply_is_emailed_to_the_creator(
    ticket, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(ticket=ticket, author=staff_user, body="Try turning it off.")

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [ticket.creator.email]
    assert "Try turning it off." in mailoutbox[0].body


def test_staff_reply_without_notify_is_posted_but_not_emailed(
    ticket, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.add_comment(
            ticket=ticket, author=staff_user, body="Fixed last week.", notify=False
        )

    assert reply.is_internal is False
    assert ticket.comments.get() == reply
    assert mailoutbox == []


def test_internal_note_is_never_emailed(
    ticket, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = services.add_comment(
            ticket=ticket, author=staff_user, body="Customer is on legacy plan.", internal=True
        )

    assert note.is_internal is True
    assert mailoutbox == []


def test_customers_cannot_post_internal_notes(ticket, user):
    with pytest.raises(PermissionDenied):
        services.add_comment(ticket=ticket, author=user, body="Secret", internal=True)

    assert not Comment.objects.exists()


def test_other_customers_cannot_reply(ticket, other_user):
    with pytest.raises(PermissionDenied):
        services.add_comment(ticket=ticket, author=other_user, body="Me too")

    assert not Comment.objects.exists()


def test_a_reply_bumps_the_tickets_updated_time(ticket, user):
    before = Ticket.objects.get(pk=ticket.pk).updated_at

    services.add_comment(ticket=ticket, author=user, body="Still broken.")

    assert Ticket.objects.get(pk=ticket.pk).updated_at > before
