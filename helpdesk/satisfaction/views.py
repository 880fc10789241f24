"""The page a rating link opens: a confirmation form, never a vote by itself.

Mail scanners and link previewers fetch every URL in an e-mail, so the GET only shows the
form (the link's ``?score=`` preselected) and records nothing; the rating is the form's POST,
CSRF-protected like every form. No login is needed: the signed token is the proof that this
is the customer's own e-mail (``satisfaction.tokens``). A link that rates nothing (tampered,
malformed, expired, from before a reopening) is a friendly 404 page that says which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from accounts import throttle
from config.client_ip import client_ip
from satisfaction import services
from satisfaction.forms import RatingForm
from satisfaction.tokens import ExpiredLink, InvalidLink

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

#: Rating submits one client address may make per hour; the README states this number.
SUBMIT_LIMIT_PER_CLIENT: Final = 30
SUBMIT_WINDOW_SECONDS: Final = 60 * 60


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")  # one customer's page, behind a secret URL
class RateView(View):
    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = services.open_link(token)
        except InvalidLink as error:
            return _dead_link(request, error)
        if link.rating is not None:
            return _rated(request, link)
        form = RatingForm.preselected(request.GET.get("score"))
        return _confirmation(request, link, form)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = services.open_link(token)
        except InvalidLink as error:
            return _dead_link(request, error)
        if link.rating is not None:
            return _rated(request, link)
        form = RatingForm(request.POST)
        if not form.is_valid():
            return _confirmation(request, link, form, status=400)
        if not throttle.allow(
            "rating-submit-client",
            client_ip(request),
            limit=SUBMIT_LIMIT_PER_CLIENT,
            window_seconds=SUBMIT_WINDOW_SECONDS,
        ):
            form.add_error(None, "Too many ratings from your network. Try again in an hour.")
            return _confirmation(request, link, form, status=429)
        try:
            recorded = services.record_rating(
                link=link, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
            )
        except InvalidLink as error:  # reopened between opening the link and submitting
            return _dead_link(request, error)
        if recorded.created:
            messages.success(request, "Thank you: your rating is recorded.")
        # Post/redirect/get: a reload shows "already rated", never a second submit.
        return redirect("satisfaction:rate", token=token)


def _confirmation(
    request: HttpRequest, link: services.RatingLink, form: RatingForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "satisfaction/confirm.html",
        {"ticket": link.ticket, "form": form},
        status=status,
    )


def _rated(request: HttpRequest, link: services.RatingLink) -> HttpResponse:
    return render(
        request, "satisfaction/rated.html", {"ticket": link.ticket, "rating": link.rating}
    )


def _dead_link(request: HttpRequest, error: InvalidLink) -> HttpResponse:
    reason = (
        "expired"
        if isinstance(error, ExpiredLink)
        else "stale"
        if isinstance(error, services.StaleLink)
        else "invalid"
    )
    context = {"reason": reason, "max_age_days": settings.HELPDESK_RATING_LINK_MAX_AGE_DAYS}
    return render(request, "satisfaction/dead_link.html", context, status=404)
