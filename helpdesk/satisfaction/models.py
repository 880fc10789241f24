"""A customer's verdict on how their ticket was resolved: good or bad, with an optional comment.

At most one rating per ticket, held by the database (a one-to-one relation). It rates the
ticket's current resolution: reopening the ticket deletes it
(``satisfaction.services.clear_rating``, called by ``tickets.services`` and
``tickets.reopening`` in the reopening transaction), so a ticket resolved again can be rated
again. Recording goes through
``satisfaction.services.record_rating``, reached from the signed link in the resolution e-mail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length, Now
from django.db.models.lookups import LessThanOrEqual

#: The longest comment a rating keeps; the form says so beside the field, the database holds it.
COMMENT_MAX_LENGTH = 2000


class Score(models.TextChoices):
    GOOD = "good", "Good"
    BAD = "bad", "Bad"


class RatingQuerySet(models.QuerySet["Rating"]):
    def score(self) -> float | None:
        """The share of good ratings among these (0.0 to 1.0), or ``None`` when there are none.

        One aggregate query; chain it after any filter (a period, an agent's tickets).
        """
        counts = self.aggregate(total=Count("pk"), good=Count("pk", filter=Q(score=Score.GOOD)))
        if not counts["total"]:
            return None
        return float(counts["good"]) / float(counts["total"])


class Rating(models.Model):
    """One customer's rating of one resolved ticket."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="rating")
    score = models.CharField(max_length=8, choices=Score)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    # The ticket's creator, who alone receives the link. Kept as unknown if the account goes.
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Reports count ratings per period: a range over created_at.
            models.Index(fields=["created_at"], name="rating_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__in=Score.values),
                name="rating_score_valid",
                violation_error_message="A rating is good or bad.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                name="rating_comment_max_length",
                violation_error_message=(f"A comment has at most {COMMENT_MAX_LENGTH} characters."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_score_display()} rating of ticket #{self.ticket_id}"
