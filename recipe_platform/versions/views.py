"""A recipe's history: its versions, what changed between two, and restoring one.

For the recipe's author and staff. Everyone else gets a 404, as for a recipe that does not
exist (the recipe is looked up in the visitor's own recipes first); anonymous visitors are sent
to log in by ``LoginRequiredMiddleware``. Restoring is a ``POST`` (``GET`` is 405).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.models import User
from recipes import history
from recipes.models import Category, Recipe, RecipeVersion
from versions import diff
from versions.forms import CompareForm
from versions.services import restore_version

PAGE_SIZE = 20


class RecipeHistoryMixin:
    """The recipe named by the address, if the visitor may see its history."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_recipe(self) -> Recipe:
        user = self.request.user
        recipes = Recipe.objects.all() if user.is_staff else Recipe.objects.owned_by(user)
        return get_object_or_404(recipes, slug=self.kwargs["slug"])

    def versions_of(self, recipe: Recipe) -> QuerySet[RecipeVersion]:
        return (
            RecipeVersion.objects.filter(recipe=recipe)
            .select_related("revision__user", "restored_from__revision")
            .order_by("-revision_id")
        )


class HistoryView(RecipeHistoryMixin, ListView[RecipeVersion]):
    """The versions of a recipe, newest first: who, when, what changed. Five queries."""

    template_name = "versions/history.html"
    context_object_name = "versions"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[RecipeVersion]:
        self.recipe = self.get_recipe()
        return self.versions_of(self.recipe)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(recipe=self.recipe, **kwargs)


class CompareView(RecipeHistoryMixin, TemplateView):
    """What changed between two versions (``?old=&new=``): by default, the newest one
    against the one before it; ``new`` alone compares it with the one before it."""

    template_name = "versions/compare.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        recipe = self.get_recipe()
        versions = list(self.versions_of(recipe))  # at most history.MAX_VERSIONS
        form = CompareForm(request.GET, versions=versions)
        context: dict[str, Any] = {"recipe": recipe, "form": form, "versions": versions}
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        by_id = {version.pk: version for version in versions}
        new_id = form.cleaned_data["new"] or (versions[0].pk if versions else None)
        if new_id is None:  # a recipe from before the history, never edited since
            return self.render_to_response(context)
        old_id = form.cleaned_data["old"] or _before(versions, new_id)
        new = by_id[new_id]
        old = by_id[old_id] if old_id is not None else None
        if old is not None and old.pk > new.pk:
            old, new = new, old
        snapshots = history.snapshots([v for v in (old, new) if v is not None])
        context.update(old=old, new=new, latest=versions[0])
        if old is not None:
            old_snapshot, new_snapshot = snapshots[old.pk], snapshots[new.pk]
            ids = {*old_snapshot.category_ids, *new_snapshot.category_ids}
            names = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))
            context["comparison"] = diff.compare(old_snapshot, new_snapshot, category_names=names)
        form = CompareForm(
            initial={"old": old.pk if old else None, "new": new.pk}, versions=versions
        )
        context["form"] = form
        return self.render_to_response(context)


class RestoreView(RecipeHistoryMixin, View):
    """``POST``: bring a version back, recorded as the recipe's newest version."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        recipe = self.get_recipe()
        version = get_object_or_404(
            RecipeVersion.objects.select_related("revision"),
            recipe=recipe,
            pk=kwargs["version_id"],
        )
        history_url = reverse("versions:history", kwargs={"slug": recipe.slug})
        user = cast(User, request.user)  # LoginRequiredMiddleware let the request in
        try:
            restored = restore_version(recipe=recipe, version=version, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(history_url)
        if not restored.changed:
            messages.info(request, "The recipe is already like that version: nothing changed.")
            return HttpResponseRedirect(history_url)
        messages.success(request, f"“{recipe.title}” is back as it was in that version.")
        if restored.missing_categories:
            messages.warning(
                request,
                "That version was filed under a category that has been deleted since; "
                "the recipe is restored without it.",
            )
        return HttpResponseRedirect(history_url)


def _before(versions: list[RecipeVersion], pk: int) -> int | None:
    """The id of the version just before ``pk`` (the list is newest first)."""
    ids = [version.pk for version in versions]
    position = ids.index(pk)
    return ids[position + 1] if position + 1 < len(ids) else None
