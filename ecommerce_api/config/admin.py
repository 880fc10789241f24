"""The project's admin site: Django's, with every password check counted and bounded lookups.

``config.apps.ShopAdminConfig`` replaces ``django.contrib.admin`` in ``INSTALLED_APPS`` and makes
:class:`ShopAdminSite` the default site. What differs from Django's:

- "Change password" checks the old password through ``authenticate()``
  (``accounts.forms.PasswordChangeForm``): django-axes refuses a locked-out user there and counts
  each wrong guess, as on the login page. Django's form asks ``user.check_password``, which
  nothing limits, so the page was a way around the lockout for anyone holding a session.
- :class:`BoundedChangeList` answers a changelist query that no database can run with the
  admin's "invalid lookup" page instead of a 500: a date-hierarchy year, month or day no date can
  have (``?created_at__year=99999999999999999999``: Django catches the ``ValueError`` of
  ``datetime(year, month, day)`` but not the ``OverflowError`` of a huge year, nor the errors of
  stepping past year 9999), and a NUL byte in any filter value (PostgreSQL refuses it in text).
  Model admins use it through :class:`BoundedChangeListMixin`.
- Read-only inlines build their forms with :class:`ExistingRowsFormSet`: one form per row that
  exists, whatever ``TOTAL_FORMS`` a crafted POST claims (Django builds up to 2,000).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseBase
from django.urls import URLPattern, URLResolver, reverse

from accounts.forms import PasswordChangeForm

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.template.response import TemplateResponse


class AdminPasswordChangeForm(PasswordChangeForm):
    """The lockout-counted password change form, marked up as the admin's own is."""

    required_css_class = "required"


class AdminPasswordChangeView(PasswordChangeView):
    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class ShopAdminSite(admin.AdminSite):
    site_header = "Shop administration"
    site_title = "Shop admin"

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
        # A TemplateResponse, as in Django's own method; as_view() is typed more loosely.
        return cast("TemplateResponse", AdminPasswordChangeView.as_view(**defaults)(request))


# The values a date-hierarchy link may name: Django builds [year, year + 1) and makes both ends
# timezone-aware, so the first and the last representable year are kept out too.
DATE_HIERARCHY_BOUNDS = {
    "year": (MINYEAR + 1, MAXYEAR - 1),
    "month": (1, 12),
    "day": (1, 31),
}


class BoundedChangeList(ChangeList):
    """A changelist that refuses impossible filter values as invalid lookups (see the module)."""

    def get_filters(self, request: HttpRequest) -> Any:
        for name, values in self.filter_params.items():
            if any("\x00" in value for value in values):
                raise IncorrectLookupParameters(f"{name} contains a NUL byte")
        if self.date_hierarchy:
            for part, (lowest, highest) in DATE_HIERARCHY_BOUNDS.items():
                given = self.filter_params.get(f"{self.date_hierarchy}__{part}")
                if not given:
                    continue
                try:
                    number = int(given[-1])
                except ValueError as error:
                    raise IncorrectLookupParameters(error) from error
                if not lowest <= number <= highest:
                    raise IncorrectLookupParameters(
                        f"{part} {number} is outside {lowest}..{highest}"
                    )
        return super().get_filters(request)


class ExistingRowsFormSet(BaseInlineFormSet[Any, Any, Any]):
    """The formset of a read-only inline: the rows that exist, and no form beyond them.

    Django builds as many forms as ``TOTAL_FORMS`` says, up to 2,000, even where nothing can be
    added: each extra form is a new, unsaved row, and 2,000 of them are seconds of work for one
    request. A row whose id a crafted POST leaves out is unsaved too, so the inlines' computed
    columns say "-" for an unsaved row.
    """

    def total_form_count(self) -> int:
        count: int = super().total_form_count()
        return min(count, len(self.get_queryset())) if self.is_bound else count


class BoundedChangeListMixin:
    """For a ``ModelAdmin``: list pages with :class:`BoundedChangeList`."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedChangeList


def register_task_results() -> None:
    """The database queue's task results (django_tasks_db's admin) with bounded lookups.

    django_tasks_db registers them with a plain ``ModelAdmin`` whose filters (status, priority,
    queue name) took a NUL byte to PostgreSQL, a 500. Called from ``ProjectConfig.ready()``:
    after the admin's autodiscovery, which registered the package's class first.
    """
    from django_tasks_db.admin import DBTaskResultAdmin
    from django_tasks_db.models import DBTaskResult

    class BoundedDBTaskResultAdmin(BoundedChangeListMixin, DBTaskResultAdmin):
        pass

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, BoundedDBTaskResultAdmin)


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
