"""Import from a URL: paste an address, review the pre-filled create form, publish.

The page (and the photo) are fetched in the request, within :data:`safe_fetch.TOTAL_SECONDS`
each: the cook waits for the answer anyway, and the review form needs it. Every refusal is the
form again, 400, with the reason beside the address; going over the throttle is a 429.
"""

from __future__ import annotations

import logging
from typing import cast
from urllib.parse import urljoin

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.models import User
from community import throttle
from importer import drafts, photos, safe_fetch
from importer.forms import ImportForm
from importer.scraping import NoRecipeFound, parse

logger = logging.getLogger(__name__)

MAX_HTML_BYTES = 2 * 1024 * 1024
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEMPLATE = "importer/import.html"


@require_http_methods(["GET", "POST"])
def import_recipe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": ImportForm()})
    cook = cast(User, request.user)  # LoginRequiredMiddleware let only a logged-in cook in
    form = ImportForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    if not throttle.allow(throttle.IMPORTS, cook.pk):
        return render(
            request, TEMPLATE, {"form": form, "throttled": throttle.IMPORTS.message}, status=429
        )
    url = form.cleaned_data["url"]
    try:
        page = safe_fetch.fetch(url, accept=HTML_TYPES, max_bytes=MAX_HTML_BYTES)
        recipe = parse(page.body.decode(page.charset or "utf-8", errors="replace"), page.url)
    except (safe_fetch.FetchRefused, NoRecipeFound, LookupError) as error:
        message = str(error) if not isinstance(error, LookupError) else "Unknown encoding."
        form.add_error("url", message)
        return render(request, TEMPLATE, {"form": form}, status=400)
    photo_token = ""
    if recipe.image_url:
        try:
            photo = photos.import_photo(urljoin(page.url, recipe.image_url))
        except (safe_fetch.FetchRefused, ValidationError) as error:
            messages.warning(
                request,
                f"The recipe's photo could not be imported ({_reason(error)}). "
                "Choose one of your own below.",
            )
        else:
            photo_token = photos.reference(photo, cook)
    messages.info(request, "Imported. Check every field, then publish.")
    return HttpResponseRedirect(drafts.save(request, recipe, photo_token=photo_token))


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages).rstrip(".")
    return str(error).rstrip(".")
