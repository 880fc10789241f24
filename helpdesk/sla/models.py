"""The service-level table: how long the team has to answer and to resolve, per priority.

One row per priority, seeded by a data migration and edited in the admin (never added or
deleted there). A ticket's deadlines are computed from this table when they are set and then
stored on the ticket (``sla.services``), so an edit applies to tickets opened or re-prioritised
after it and never silently moves a promise already made.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from tickets.models import Priority

#: The defaults the seed migration stores and the README lists: priority → (first response,
#: resolution) in calendar hours.
DEFAULT_HOURS: dict[str, tuple[int, int]] = {
    Priority.URGENT: (1, 4),
    Priority.HIGH: (4, 24),
    Priority.NORMAL: (24, 72),
    Priority.LOW: (48, 120),
}

HOURS_HELP_TEXT = (
    "Calendar hours (nights and weekends count). A change applies to tickets opened or "
    "re-prioritised after it; deadlines already set on tickets stay as they are."
)


class ServiceLevel(models.Model):
    """The first-response and resolution targets of one priority."""

    priority = models.CharField(max_length=16, choices=Priority, unique=True, editable=False)
    first_response_hours = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text=f"Time to the first public reply by staff. {HOURS_HELP_TEXT}",
    )
    resolution_hours = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text=(
            "Time to resolve, not counting time spent Pending (waiting on the customer). "
            f"{HOURS_HELP_TEXT}"
        ),
    )

    class Meta:
        verbose_name = "service level"
        verbose_name_plural = "service levels"
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values),
                name="service_level_priority_valid",
                violation_error_message="Unknown ticket priority.",
            ),
            models.CheckConstraint(
                condition=Q(first_response_hours__gt=0),
                name="service_level_first_response_positive",
                violation_error_message="The first-response target must be at least one hour.",
            ),
            models.CheckConstraint(
                condition=Q(resolution_hours__gt=0),
                name="service_level_resolution_positive",
                violation_error_message="The resolution target must be at least one hour.",
            ),
            # A ticket's next target is its first response until it is met; that holds only if
            # the first response never falls due after the resolution.
            models.CheckConstraint(
                condition=Q(first_response_hours__lte=F("resolution_hours")),
                name="service_level_first_response_within_resolution",
                violation_error_message=(
                    "The first-response target cannot be longer than the resolution target."
                ),
            ),
        ]

    def __str__(self) -> str:
        label = Priority(self.priority).label
        return f"{label}: {self.first_response_hours} h / {self.resolution_hours} h"

    @property
    def first_response_time(self) -> timedelta:
        return timedelta(hours=self.first_response_hours)

    @property
    def resolution_time(self) -> timedelta:
        return timedelta(hours=self.resolution_hours)
