"""The service-level table in the admin: four rows, hours edited, never added or deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sla.models import ServiceLevel
from tests.tickets.admin_forms import phoned_in_ticket
from tickets import services
from tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:sla_servicelevel_changelist")


def _change_url(priority):
    return reverse(
        "admin:sla_servicelevel_change", args=[ServiceLevel.objects.get(priority=priority).pk]
    )


def test_the_changelist_shows_one_row_per_priority_with_its_hours(superuser_client):
    response = superuser_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = [
        (level.priority, level.first_response_hours, level.resolution_hours)
        for level in response.context["cl"].result_list
    ]
    assert rows == [("urgent", 1, 4), ("high", 4, 24), ("normal", 24, 72), ("low", 48, 120)]


def test_rows_can_be_neither_added_nor_deleted(superuser_client):
    level = ServiceLevel.objects.get(priority=Priority.LOW)

    add = superuser_client.get(reverse("admin:sla_servicelevel_add"))
    delete = superuser_client.post(
        reverse("admin:sla_servicelevel_delete", args=[level.pk]), {"post": "yes"}
    )

    assert add.status_code == delete.status_code == 403
    assert ServiceLevel.objects.count() == 4


def test_the_change_form_says_when_an_edit_applies(superuser_client):
    content = superuser_client.get(_change_url(Priority.NORMAL)).content.decode()

    assert "applies to tickets opened or re-prioritised after it" in content


def test_an_edit_in_the_admin_applies_to_the_next_ticket_and_not_to_earlier_ones(
    superuser_client, user, clock
):
    earlier = services.open_ticket(
        creator=user, title="Before", description="x", priority=Priority.URGENT
    )

    response = superuser_client.post(
        _change_url(Priority.URGENT), {"first_response_hours": "2", "resolution_hours": "8"}
    )
    later = services.open_ticket(
        creator=user, title="After", description="x", priority=Priority.URGENT
    )

    assert response.status_code == 302
    earlier.refresh_from_db()
    assert earlier.resolution_due_at == clock.now + timedelta(hours=4)
    assert later.first_response_due_at == clock.now + timedelta(hours=2)
    assert later.resolution_due_at == clock.now + timedelta(hours=8)


@pytest.mark.parametrize(
    ("hours", "field", "message"),
    [
        ({"first_response_hours": "0", "resolution_hours": "4"}, "first_response_hours", ""),
        ({"first_response_hours": "1", "resolution_hours": "-3"}, "resolution_hours", ""),
        (
            {"first_response_hours": "8", "resolution_hours": "4"},
            None,
            "cannot be longer than the resolution target",
        ),
    ],
    ids=["zero", "negative", "first-response-longer"],
)
def test_impossible_hours_are_form_errors_and_nothing_is_saved(
    superuser_client, hours, field, message
):
    response = superuser_client.post(_change_url(Priority.URGENT), hours)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert (field in form.errors) if field else (message in str(form.errors))
    level = ServiceLevel.objects.get(priority=Priority.URGENT)
    assert (level.first_response_hours, level.resolution_hours) == (1, 4)


def test_the_list_edits_the_hours_of_every_row_at_once(superuser_client):
    levels = list(ServiceLevel.objects.order_by("first_response_hours"))
    data = {
        "form-TOTAL_FORMS": "4",
        "form-INITIAL_FORMS": "4",
        "_save": "Save",
    }
    for index, level in enumerate(levels):
        data |= {
            f"form-{index}-id": str(level.pk),
            f"form-{index}-first_response_hours": str(level.first_response_hours),
            f"form-{index}-resolution_hours": str(level.resolution_hours * 2),
        }

    response = superuser_client.post(CHANGELIST, data)

    assert response.status_code == 302
    assert ServiceLevel.objects.get(priority=Priority.LOW).resolution_hours == 240


def test_a_ticket_opened_in_the_admin_gets_its_targets(superuser_client, user, clock):
    response = superuser_client.post(
        reverse("admin:tickets_ticket_add"),
        phoned_in_ticket(user.pk),
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.created_at == clock.now
    assert ticket.first_response_due_at == clock.now + timedelta(hours=4)
    assert ticket.due_at == ticket.first_response_due_at
