"""A clock the tests set: every ``timezone.now()`` in the code under test reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from sla.models import ServiceLevel

seed_default_service_levels = import_module("sla.migrations.0002_default_service_levels").seed

#: A Monday morning; the targets count calendar hours, so the day does not matter.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture(autouse=True)
def service_levels(db):
    """The table as the seed migration leaves it: a transactional test elsewhere in the run
    flushes every table, the migration's rows included, so each test here restores them."""
    ServiceLevel.objects.all().delete()
    seed_default_service_levels(apps, None)
    return ServiceLevel.objects.all()
