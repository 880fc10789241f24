"""The service-level table's own rules, held by the database as well as the admin form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from sla.models import ServiceLevel
from tickets.models import Priority

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "hours",
    [
        {"first_response_hours": 0},
        {"resolution_hours": 0},
        {"first_response_hours": 5, "resolution_hours": 4},
    ],
    ids=["no-first-response-time", "no-resolution-time", "first-response-after-resolution"],
)
def test_the_database_refuses_impossible_hours(hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.filter(priority=Priority.URGENT).update(**hours)


def test_one_row_per_priority():
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(
            priority=Priority.URGENT, first_response_hours=1, resolution_hours=2
        )


def test_a_level_reads_as_its_priority_and_hours():
    level = ServiceLevel.objects.get(priority=Priority.HIGH)

    assert str(level) == "High: 4 h / 24 h"
    assert (level.first_response_time, level.resolution_time) == (
        timedelta(hours=4),
        timedelta(hours=24),
    )
