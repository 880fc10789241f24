from typing import cast

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from shared.factories import StaffUserFactory, UserFactory

# cast("User", ...): shared's factories are typed AbstractUser, AUTH_USER_MODEL is User.
from accounts.models import User
from tests.factories import CommentFactory, InternalNoteFactory, TicketFactory
from tickets import services
from tickets.models import (
    STATUS_TRANSITIONS,
    AppendOnlyError,
    Comment,
    Priority,
    Status,
    Ticket,
    TicketChange,
    TrackedField,
    can_change_status,
)

pytestmark = pytest.mark.django_db


# --- The status workflow ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        (Status.OPEN, Status.PENDING, True),
        (Status.OPEN, Status.RESOLVED, True),
        (Status.PENDING, Status.OPEN, True),
        (Status.PENDING, Status.RESOLVED, True),
        (Status.RESOLVED, Status.OPEN, True),
        (Status.RESOLVED, Status.PENDING, False),
        (Status.OPEN, Status.OPEN, False),
        (Status.OPEN, "closed", False),
        ("closed", Status.OPEN, False),
    ],
)
def test_status_transitions(old, new, allowed):
    assert can_change_status(old, new) is allowed


def test_every_status_has_a_way_out():
    assert set(STATUS_TRANSITIONS) == set(Status.values)
    assert all(STATUS_TRANSITIONS.values())


def test_next_statuses_lists_the_allowed_moves_in_order():
    ticket = TicketFactory.build(status=Status.PENDING)

    assert ticket.next_statuses == [Status.OPEN, Status.RESOLVED]
    assert ticket.can_move_to(Status.RESOLVED)
    assert not ticket.can_move_to(Status.PENDING)


def test_statuses_and_priorities_have_readable_labels():
    assert Status.labels == ["Open", "Pending", "Resolved"]
    assert Priority.values == ["low", "normal", "high", "urgent"]


# --- Defaults and database constraints ----------------------------------------------------


def test_a_new_ticket_is_open_normal_and_unassigned_by_database_default(user):
    ticket = Ticket.objects.create(creator=user, title="Help", description="Please.")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.priority == Priority.NORMAL
    assert ticket.assignee is None
    assert ticket.created_at is not None
    assert ticket.resolved_at is None


def test_resolved_ticket_without_resolution_time_is_refused_by_the_database():
    ticket = TicketFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(status=Status.RESOLVED)


def test_open_ticket_with_resolution_time_is_refused_by_the_database():
    ticket = TicketFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now())


@pytest.mark.parametrize(("field", "value"), [("status", "closed"), ("priority", "critical")])
def test_unknown_status_or_priority_is_refused_by_the_database(field, value):
    ticket = TicketFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(**{field: value})


def test_empty_title_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketFactory.create(title="")


def test_empty_comment_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentFactory.create(body="")


@pytest.mark.parametrize(
    ("priority", "rank"),
    [(Priority.LOW, 0), (Priority.NORMAL, 1), (Priority.HIGH, 2), (Priority.URGENT, 3)],
)
def test_priority_rank_is_computed_by_the_database(priority, rank):
    ticket = TicketFactory.create(priority=priority)

    ticket.refresh_from_db()
    assert ticket.priority_rank == rank


# --- Query vocabulary ---------------------------------------------------------------------


def test_a_customer_sees_only_their_own_tickets(user, other_user):
    mine = TicketFactory.create(creator=user)
    TicketFactory.create(creator=other_user)

    assert list(Ticket.objects.visible_to(user)) == [mine]


def test_staff_see_every_ticket(user, other_user, staff_user):
    TicketFactory.create(creator=user)
    TicketFactory.create(creator=other_user)

    assert Ticket.objects.visible_to(staff_user).count() == 2


def test_anonymous_and_inactive_users_see_no_ticket(user):
    from django.contrib.auth.models import AnonymousUser

    TicketFactory.create(creator=user)
    user.is_active = False

    assert not Ticket.objects.visible_to(AnonymousUser()).exists()
    assert not Ticket.objects.visible_to(user).exists()


def test_search_matches_title_or_description_case_insensitively():
    by_title = TicketFactory.create(title="Printer jammed", description="Paper stuck.")
    by_description = TicketFactory.create(title="Office", description="The PRINTER is loud.")
    TicketFactory.create(title="Login", description="Password lost.")

    assert set(Ticket.objects.search("printer")) == {by_title, by_description}


def test_last_change_is_none_without_tickets_and_moves_with_every_write(staff_user):
    assert Ticket.objects.last_change() is None
    ticket = TicketFactory.create()
    created = Ticket.objects.last_change()

    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)

    assert created is not None
    assert Ticket.objects.last_change() == ticket.updated_at > created


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.OPEN, [("pending", "Mark pending"), ("resolved", "Resolve")]),
        (Status.PENDING, [("open", "Mark open"), ("resolved", "Resolve")]),
        (Status.RESOLVED, [("open", "Reopen")]),
    ],
)
def test_status_actions_label_each_allowed_move(status, actions):
    assert Ticket(status=status).status_actions == actions


def test_comments_visible_to_a_customer_are_the_public_ones(user, staff_user):
    reply = CommentFactory.create(ticket__creator=user)
    InternalNoteFactory.create(ticket=reply.ticket)

    assert list(Comment.objects.visible_to(user)) == [reply]
    assert Comment.objects.visible_to(staff_user).count() == 2
    assert list(Comment.objects.public()) == [reply]


def test_is_assigned_to():
    agent, colleague = cast("list[User]", StaffUserFactory.create_batch(2))
    ticket = TicketFactory.create(assignee=agent)

    assert ticket.is_assigned_to(agent)
    assert not ticket.is_assigned_to(colleague)
    assert not TicketFactory.create().is_assigned_to(agent)


def test_string_forms_name_the_ticket():
    ticket = TicketFactory.create(title="VPN down")
    note = InternalNoteFactory.create(ticket=ticket)

    assert str(ticket) == f"#{ticket.pk} VPN down"
    assert ticket.get_absolute_url() == f"/tickets/{ticket.pk}/"
    assert str(note).startswith("Internal note by")
    assert str(CommentFactory.create(ticket=ticket)).startswith("Reply by")


# --- History is append-only ---------------------------------------------------------------


@pytest.fixture
def change(staff_user):
    return TicketChange.objects.create(
        ticket=TicketFactory.create(),
        actor=staff_user,
        field=TrackedField.STATUS,
        old_value=Status.OPEN,
        new_value=Status.PENDING,
    )


def test_history_row_reads_as_labels(change):
    assert change.old_display == "Open"
    assert change.new_display == "Pending"
    assert str(change) == f"#{change.ticket_id} status: Open → Pending"


def test_history_row_for_priority_and_assignee_reads_as_labels(staff_user):
    ticket = TicketFactory.create()
    priority = TicketChange(ticket=ticket, field=TrackedField.PRIORITY, old_value="low")
    assignee = TicketChange(ticket=ticket, field=TrackedField.ASSIGNEE, new_value="agent")

    assert priority.old_display == "Low"
    assert assignee.old_display == "Unassigned"
    assert assignee.new_display == "agent"


def test_history_row_cannot_be_saved_again(change):
    change.new_value = Status.RESOLVED

    with pytest.raises(AppendOnlyError):
        change.save()


def test_history_row_cannot_be_deleted(change):
    with pytest.raises(AppendOnlyError):
        change.delete()


def test_history_cannot_be_bulk_updated_or_deleted(change):
    with pytest.raises(AppendOnlyError):
        TicketChange.objects.update(new_value=Status.RESOLVED)
    with pytest.raises(AppendOnlyError):
        TicketChange.objects.all().delete()

    assert TicketChange.objects.get().new_value == Status.PENDING


def test_a_history_row_must_record_a_change(staff_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketChange.objects.create(
            ticket=TicketFactory.create(),
            actor=staff_user,
            field=TrackedField.STATUS,
            old_value=Status.OPEN,
            new_value=Status.OPEN,
        )


def test_deleting_a_ticket_removes_its_history(change):
    change.ticket.delete()

    assert not TicketChange.objects.exists()


def test_users_with_tickets_cannot_be_deleted_only_deactivated():
    from django.db.models import ProtectedError

    customer = UserFactory.create()
    TicketFactory.create(creator=customer)

    with pytest.raises(ProtectedError):
        customer.delete()
