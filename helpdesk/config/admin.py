"""The project's admin site: Django's, with every password check counted and checked lookups.

``config.apps.HelpdeskAdminConfig`` replaces ``django.contrib.admin`` in ``INSTALLED_APPS`` and
makes ``HelpdeskAdminSite`` the default site, so ``admin.site`` (and every ``@admin.register``,
third parties' included) is this site. What differs from Django's:

- "Change password" checks the old password through ``authenticate()``, as the site's own form
  does (``accounts.forms.PasswordChangeForm``): django-axes refuses a locked-out user there and
  counts each wrong guess. Django's form asks ``user.check_password``, which nothing limits.
- :class:`CheckedChangeList` turns a date-hierarchy year, month or day that no date can have
  (``?created_at__year=99999999999999999999``) into the admin's "invalid lookup" answer. Django
  catches ``ValueError`` from ``datetime(year, month, day)`` but not the ``OverflowError`` of a
  huge year, nor the ``ValueError``/``OverflowError`` of stepping past year 9999: both were 500s.
  So is a NUL byte in a filter value (``?status__exact=a%00b``), which PostgreSQL refuses.
  Model admins use it through :class:`CheckedChangeListMixin`.
- The login form refuses a username longer than any account's before authenticating
  (``accounts.forms.BoundedUsernameMixin``).
- Read-only inlines build their forms with :class:`ExistingRowsFormSet`: one form per row that
  exists, whatever ``TOTAL_FORMS`` a crafted POST claims (Django builds up to 2,000), and at
  most ``max_rows`` of them where the rows grow without limit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseBase
from django.urls import URLPattern, URLResolver, reverse

from accounts.forms import BoundedUsernameMixin, PasswordChangeForm

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.template.response import TemplateResponse


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin's login form, refusing over-long usernames before authenticating."""


class AdminPasswordChangeForm(PasswordChangeForm):
    """The site's password change form, marked up as the admin's own is."""

    required_css_class = "required"


class AdminPasswordChangeView(PasswordChangeView):
    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class HelpdeskAdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def get_urls(self) -> list[URLResolver | URLPattern]:
        """Django's URLs, with "view on site" answering 404 for an id no key can be."""
        urls = super().get_urls()
        for url in urls:
            if isinstance(url, URLPattern) and url.name == "view_on_site":
                url.callback = _invalid_key_is_not_found(url.callback)
        return urls

    def password_change(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        """Django's "change password" page with a form that checks the old password like a
        login (see the module's docstring); everything else as in ``AdminSite``."""
        defaults: dict[str, Any] = {
            "form_class": AdminPasswordChangeForm,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        # As in Django's method: a page, or a redirect once the password is changed (which the
        # stubs' TemplateResponse does not describe).
        return cast("TemplateResponse", AdminPasswordChangeView.as_view(**defaults)(request))


# The years a date-hierarchy link may name: Django builds [year, year + 1) and makes both ends
# timezone-aware, so the first and the last representable year are kept out too.
DATE_HIERARCHY_BOUNDS = {
    "year": (MINYEAR + 1, MAXYEAR - 1),
    "month": (1, 12),
    "day": (1, 31),
}


class CheckedChangeList(ChangeList):
    """A changelist that answers impossible lookups as invalid instead of failing.

    Refused with ``IncorrectLookupParameters`` (the admin then redirects to ``?e=1``, as for any
    unknown filter): a date-hierarchy year, month or day no date can have, and a NUL byte in any
    lookup value, which no row can contain and PostgreSQL refuses in a query.
    """

    def get_filters(self, request: HttpRequest) -> Any:
        for values in self.filter_params.values():
            if any("\x00" in value for value in values):
                raise IncorrectLookupParameters("A lookup value contains a NUL byte.")
        if self.date_hierarchy:
            self._check_date_hierarchy()
        return super().get_filters(request)

    def _check_date_hierarchy(self) -> None:
        for part, (lowest, highest) in DATE_HIERARCHY_BOUNDS.items():
            values = self.filter_params.get(f"{self.date_hierarchy}__{part}")
            if not values:
                continue
            try:
                number = int(values[-1])
            except ValueError as error:
                raise IncorrectLookupParameters(error) from error
            if not lowest <= number <= highest:
                raise IncorrectLookupParameters(f"{part} {number} is outside {lowest}..{highest}")


class ExistingRowsFormSet(BaseInlineFormSet[Any, Any, Any]):
    """The formset of a read-only inline: the rows that exist, and no form beyond them.

    Django builds as many forms as ``TOTAL_FORMS`` says, up to 2,000, even where nothing can be
    added; each extra form is a new, unsaved row, whose display (a link to a file by its key)
    was a 500, and 2,000 of them are seconds of work for one request.

    ``max_rows`` (a subclass sets it) shows only the first rows in the inline's order: an inline
    of a row that grows without limit (a ticket's replies) would otherwise render all of them.
    """

    #: The most rows shown, in the inline's order; ``None`` shows every row.
    max_rows: int | None = None

    def get_queryset(self) -> Any:
        # Sliced once and kept: Django reads the formset's rows several times per request.
        if not hasattr(self, "_shown_rows"):
            rows = super().get_queryset()
            self._shown_rows = rows if self.max_rows is None else rows[: self.max_rows]
        return self._shown_rows

    def total_form_count(self) -> int:
        count: int = super().total_form_count()
        return min(count, len(self.get_queryset())) if self.is_bound else count


class CheckedChangeListMixin:
    """For a ``ModelAdmin``: list pages with :class:`CheckedChangeList`."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return CheckedChangeList


def check_third_party_changelists() -> None:
    """Give the admin pages of installed packages :class:`CheckedChangeList` too.

    django_tasks_db registers its task results (filters on status, priority and queue name)
    with a plain ``ModelAdmin``; a NUL byte in a filter value made that list a 500 on
    PostgreSQL. Called from ``ProjectConfig.ready()``, after the admin's autodiscovery.
    """
    from django_tasks_db.admin import DBTaskResultAdmin
    from django_tasks_db.models import DBTaskResult

    class TaskResultAdmin(CheckedChangeListMixin, DBTaskResultAdmin):
        pass

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, TaskResultAdmin)


def _invalid_key_is_not_found(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """``view`` with a ``ValidationError`` (an id its model's key field refuses) made a 404.

    Django's "view on site" (``/admin/r/<content type>/<id>/``) turns a ``ValueError`` into a
    404 but not the ``ValidationError`` of a UUID key: django_tasks_db's results have one, so
    ``/admin/r/<their content type>/1_0/`` was a 500.
    """

    @wraps(view)  # keeps what the admin's wrapper carries (admin_site, login_url)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            raise Http404("There is no such object.") from error

    return wrapped
