"""Rating, commenting, hiding a comment, saving a favourite; "My favourites" and "Top rated".

Every change is a POST that redirects back to the recipe with a message. A submission the form
refuses is answered 400 with the form and its errors on a page of its own; going over a
throttle is a 429 page. A recipe that does not exist, and a comment one may not hide (not the
recipe's author, not staff), are 404s.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from accounts.models import User
from community import services, throttle
from community.forms import CommentForm, RatingForm
from community.models import Comment
from recipes.models import Category, Recipe
from recipes.page_cache import cache_for_anonymous
from recipes.pagination import CappedCountPaginator

PAGE_SIZE = 12
COMMENTS_PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    # LoginRequiredMiddleware let the request in: its user is a logged-in User.
    return cast(User, request.user)


def _throttled(request: HttpRequest, limit: throttle.Limit, recipe: Recipe) -> HttpResponse:
    context = {"recipe": recipe, "message": limit.message}
    return render(request, "community/throttled.html", context, status=429)


def _refused(request: HttpRequest, recipe: Recipe, form: RatingForm | CommentForm) -> HttpResponse:
    context = {"recipe": recipe, "form": form, "rating": isinstance(form, RatingForm)}
    return render(request, "community/form_refused.html", context, status=400)


@require_POST
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    recipe = get_object_or_404(Recipe, slug=slug)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refused(request, recipe, form)
    if not throttle.allow(throttle.RATINGS, _user(request).pk):
        return _throttled(request, throttle.RATINGS, recipe)
    stars = form.cleaned_data["stars"]
    try:
        services.rate(recipe=recipe, user=_user(request), stars=stars)
    except ValidationError as error:
        form.add_error("stars", error)
        return _refused(request, recipe, form)
    messages.success(request, f"You rated “{recipe.title}” {stars} out of 5.")
    return HttpResponseRedirect(f"{recipe.get_absolute_url()}#community")


@require_POST
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    recipe = get_object_or_404(Recipe, slug=slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, recipe, form)
    if not throttle.allow(throttle.COMMENTS, _user(request).pk):
        return _throttled(request, throttle.COMMENTS, recipe)
    services.add_comment(recipe=recipe, author=_user(request), body=form.cleaned_data["body"])
    messages.success(request, "Your comment is posted.")
    return HttpResponseRedirect(f"{recipe.get_absolute_url()}#comments")


@require_POST
def hide_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The recipe's author or staff hide a comment; for anyone else it does not exist."""
    moderator = _user(request)
    comments = Comment.objects.select_related("recipe")
    if not moderator.is_staff:
        comments = comments.filter(recipe__author=moderator)
    found = get_object_or_404(comments, pk=pk)
    if services.hide_comment(comment=found, moderator=moderator):
        messages.success(request, "The comment is hidden.")
    else:
        messages.info(request, "That comment was already hidden.")
    return HttpResponseRedirect(f"{found.recipe.get_absolute_url()}#comments")


@require_POST
def save_favourite(request: HttpRequest, slug: str) -> HttpResponse:
    recipe = get_object_or_404(Recipe, slug=slug)
    services.save_favourite(recipe=recipe, user=_user(request))
    messages.success(request, f"“{recipe.title}” is in your favourites.")
    return HttpResponseRedirect(recipe.get_absolute_url())


@require_POST
def remove_favourite(request: HttpRequest, slug: str) -> HttpResponse:
    recipe = get_object_or_404(Recipe, slug=slug)
    services.remove_favourite(recipe=recipe, user=_user(request))
    messages.success(request, f"“{recipe.title}” is no longer in your favourites.")
    return HttpResponseRedirect(recipe.get_absolute_url())


class FavouritesView(ListView[Recipe]):
    """ "My favourites", the most recently saved first: 4 queries whatever the number."""

    template_name = "community/favourites.html"
    context_object_name = "recipes"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Recipe]:
        return (
            Recipe.objects.for_cards()
            .filter(favourites__user_id=_user(self.request).pk)
            .order_by("-favourites__created", "-favourites__id")
        )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(cache_for_anonymous, name="get")
class TopRatedView(ListView[Recipe]):
    """Rated recipes, best average first (then most ratings): ``recipe_best_rated_idx``, in order.

    ``?category=<slug>`` narrows it to one category; an unknown one is a 404, so the page
    cache, which stores only 200s of ``?category=`` and ``?page=`` addresses, never keeps an
    entry for a made-up slug.
    """

    template_name = "community/top_rated.html"
    context_object_name = "recipes"
    paginate_by = PAGE_SIZE
    paginator_class = CappedCountPaginator

    def get_queryset(self) -> QuerySet[Recipe]:
        self.category = _category_or_404(self.request.GET.get("category"))
        return Recipe.objects.for_cards().in_category(self.category).rated().best_rated_first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(category=self.category, **kwargs)


def _category_or_404(slug: str | None) -> Category | None:
    """The category ``?category=`` names; None when absent; a 404 when it is not a slug at all
    (a NUL byte, which PostgreSQL refuses in any query, or a 5,000-character string) or names
    no category."""
    if slug is None:
        return None
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise Http404("No such category.") from error
    return get_object_or_404(Category, slug=slug)


@method_decorator(login_not_required, name="dispatch")
class CommentsView(ListView[Comment]):
    """All of a recipe's visible comments, newest first, 20 a page."""

    template_name = "community/comments.html"
    context_object_name = "comments"
    paginate_by = COMMENTS_PAGE_SIZE

    def get_queryset(self) -> QuerySet[Comment]:
        self.recipe = get_object_or_404(Recipe, slug=self.kwargs["slug"])
        return self.recipe.comments.visible().select_related("author")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        can_moderate = user.is_authenticated and (user.is_staff or user.pk == self.recipe.author_id)
        return super().get_context_data(recipe=self.recipe, can_moderate=can_moderate, **kwargs)
