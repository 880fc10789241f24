"""The data migrations: the seeded table and the targets given to tickets that existed before."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from shared.factories import StaffUserFactory

from sla.models import ServiceLevel
from tests.factories import CommentFactory, InternalNoteFactory, TicketFactory
from tests.sla.conftest import START
from tickets.models import Priority, Status, Ticket

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
seed = import_module("sla.migrations.0002_default_service_levels").seed
fill = import_module("tickets.migrations.0008_fill_service_level_targets").fill


def test_the_seed_stores_the_documented_defaults_in_calendar_hours():
    ServiceLevel.objects.all().delete()

    seed(apps, None)

    assert {
        level.priority: (level.first_response_hours, level.resolution_hours)
        for level in ServiceLevel.objects.all()
    } == {"urgent": (1, 4), "high": (4, 24), "normal": (24, 72), "low": (48, 120)}


def test_the_seed_keeps_hours_already_edited():
    ServiceLevel.objects.filter(priority=Priority.LOW).update(resolution_hours=200)

    seed(apps, None)

    assert ServiceLevel.objects.get(priority=Priority.LOW).resolution_hours == 200


def test_existing_tickets_get_targets_from_their_creation(clock):
    opened = START - 48 * HOUR
    answered = TicketFactory.create(created_at=opened, priority=Priority.HIGH)
    InternalNoteFactory.create(ticket=answered)  # a note answers nobody
    reply = CommentFactory.create(ticket=answered, author=StaffUserFactory.create())
    CommentFactory.create(ticket=answered)  # the customer's own
    unanswered = TicketFactory.create(created_at=opened, priority=Priority.URGENT)
    pending = TicketFactory.create(created_at=opened, status=Status.PENDING)
    resolved = TicketFactory.create(created_at=opened, status=Status.RESOLVED)

    fill(apps, None)

    answered, unanswered, pending, resolved = (
        Ticket.objects.get(pk=ticket.pk) for ticket in (answered, unanswered, pending, resolved)
    )
    assert answered.first_responded_at == reply.created_at
    assert answered.first_response_due_at == opened + 4 * HOUR
    assert answered.due_at == answered.resolution_due_at == opened + 24 * HOUR
    assert unanswered.first_responded_at is None
    assert unanswered.due_at == unanswered.first_response_due_at == opened + HOUR
    assert pending.resolution_time_left == 24 * HOUR  # 72 hours less the 48 gone
    assert (pending.resolution_due_at, pending.due_at) == (None, None)
    assert resolved.resolution_due_at == opened + 72 * HOUR
    assert resolved.due_at is None
