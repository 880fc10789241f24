"""Users, and django-axes' records of login attempts, in the admin.

django-axes registers its own admin classes unless ``AXES_ENABLE_ADMIN`` is off; it is off, and
they are registered here on top of ``CheckedChangeListMixin``, so their date hierarchy refuses
an impossible year as an invalid lookup instead of failing with a 500 (see ``config.admin``).
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from config.admin import CheckedChangeListMixin


@admin.register(User)
class UserAdmin(CheckedChangeListMixin, DjangoUserAdmin[User]):
    """Django's user admin, registered for the custom user model."""


# django-axes publishes no type information, so its admin classes are "Any" to mypy.
@admin.register(AccessAttempt)
class BoundedAccessAttemptAdmin(CheckedChangeListMixin, AccessAttemptAdmin):  # type: ignore[misc]
    pass


@admin.register(AccessLog)
class BoundedAccessLogAdmin(CheckedChangeListMixin, AccessLogAdmin):  # type: ignore[misc]
    pass


@admin.register(AccessFailureLog)
class BoundedAccessFailureLogAdmin(CheckedChangeListMixin, AccessFailureLogAdmin):  # type: ignore[misc]
    pass
