"""Back-in-stock alerts: a customer asks to be told once when a sold-out product is back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from catalog.models import Product

if TYPE_CHECKING:
    from accounts.models import User


class StockAlertQuerySet(models.QuerySet["StockAlert"]):
    def owned_by(self, user: User) -> StockAlertQuerySet:
        """The user's own alerts: every lookup goes through this, so "not yours" is a 404."""
        return self.filter(user=user)


class StockAlert(models.Model):
    """A live subscription. It ends (the row is deleted) when its e-mail is queued: one e-mail
    per subscription, and the customer may subscribe again for the next time it sells out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stock_alerts"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock_alerts")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StockAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product"],
                name="alerts_one_per_user_and_product",
                violation_error_message="You already have an alert for this product.",
            ),
        ]
        indexes = [
            # "My alerts", newest first (the unique constraint's index leads with user too, but
            # sorts by product).
            models.Index(fields=["user", "-created_at", "-id"], name="alert_user_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} waits for {self.product}"
