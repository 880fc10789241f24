from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from accounts.validators import validate_single_line


class NotificationKind(models.TextChoices):
    """The e-mails a user may turn off, named after the :class:`User` field that holds the
    choice. Staff get the first two, a ticket's creator the last two."""

    NEW_TICKET = "notify_new_ticket", "A new ticket is opened"
    CUSTOMER_REPLY = "notify_customer_reply", "A customer replies to a ticket"
    STAFF_REPLY = "notify_staff_reply", "Our team replies to your ticket"
    STATUS_CHANGE = "notify_status_change", "Your ticket's status changes"


STAFF_NOTIFICATIONS = (NotificationKind.NEW_TICKET, NotificationKind.CUSTOMER_REPLY)
CUSTOMER_NOTIFICATIONS = (NotificationKind.STAFF_REPLY, NotificationKind.STATUS_CHANGE)


class User(AbstractUser):
    """The project's user.

    A custom model from the first migration, as Django recommends: changing ``AUTH_USER_MODEL``
    once tables exist is a painful migration, adding a field to this class is not.

    Names and the e-mail address are Django's fields plus :func:`validate_single_line`: they are
    shown on one line and the address goes into e-mail headers (Django's ``EmailValidator``
    accepts a quoted local part with control characters such as ``"a\\x0b"@example.com``). The
    username needs nothing more: ``UnicodeUsernameValidator`` accepts only letters, digits and
    ``@.+-_``.
    """

    first_name = models.CharField(
        "first name", max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        "last name", max_length=150, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField("email address", blank=True, validators=[validate_single_line])

    # Which e-mails this user wants (NotificationKind); every kind is on until turned off on
    # the notifications page. A flag per kind, not a table: read with the user, no join.
    notify_new_ticket = models.BooleanField(
        NotificationKind.NEW_TICKET.label, default=True, db_default=True
    )
    notify_customer_reply = models.BooleanField(
        NotificationKind.CUSTOMER_REPLY.label, default=True, db_default=True
    )
    notify_staff_reply = models.BooleanField(
        NotificationKind.STAFF_REPLY.label, default=True, db_default=True
    )
    notify_status_change = models.BooleanField(
        NotificationKind.STATUS_CHANGE.label, default=True, db_default=True
    )

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        swappable = "AUTH_USER_MODEL"
        indexes = [
            # Every new ticket and unassigned reply looks up the active staff to notify.
            models.Index(fields=["is_active"], name="user_staff_idx", condition=Q(is_staff=True)),
        ]

    def wants(self, kind: NotificationKind) -> bool:
        """Whether this user has ``kind`` of e-mail turned on."""
        return bool(getattr(self, kind.value))
