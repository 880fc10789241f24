"""Give the tickets that existed before service levels their targets.

Computed as ``sla.services`` would have set them at opening, from the seeded table: the first
response is met by the earliest public staff reply; the resolution deadline runs from the
ticket's creation (pauses before this migration are not known, so not counted); a Pending
ticket keeps the time that deadline had left at migration time, a Resolved one its deadline.
"""

from datetime import timedelta

from django.db import migrations
from django.db.models import Min, Q
from django.utils import timezone


def fill(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    ServiceLevel = apps.get_model("sla", "ServiceLevel")
    hours = {
        level.priority: (level.first_response_hours, level.resolution_hours)
        for level in ServiceLevel.objects.all()
    }
    now = timezone.now()
    tickets = Ticket.objects.annotate(
        first_staff_reply=Min(
            "comments__created_at",
            filter=Q(comments__is_internal=False, comments__author__is_staff=True),
        )
    ).order_by("pk")
    batch = []
    for ticket in tickets.iterator(chunk_size=1000):
        first_response, resolution = hours[ticket.priority]
        ticket.first_response_due_at = ticket.created_at + timedelta(hours=first_response)
        ticket.first_responded_at = ticket.first_staff_reply
        deadline = ticket.created_at + timedelta(hours=resolution)
        ticket.resolution_due_at = None if ticket.status == "pending" else deadline
        ticket.resolution_time_left = deadline - now if ticket.status == "pending" else None
        if ticket.status == "open":
            responded = ticket.first_responded_at is not None
            ticket.due_at = deadline if responded else ticket.first_response_due_at
        else:
            ticket.due_at = None
        batch.append(ticket)
        if len(batch) == 1000:
            _save(Ticket, batch)
            batch = []
    _save(Ticket, batch)


def _save(Ticket, tickets):
    Ticket.objects.bulk_update(
        tickets,
        [
            "first_response_due_at",
            "first_responded_at",
            "resolution_due_at",
            "resolution_time_left",
            "due_at",
        ],
    )


def clear(apps, schema_editor):
    """Reversed, the columns are dropped by the previous migration; nothing to undo here."""


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_service_level_targets"),
        ("sla", "0002_default_service_levels"),
    ]

    operations = [migrations.RunPython(fill, clear)]
