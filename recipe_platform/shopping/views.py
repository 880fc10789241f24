"""Shopping list pages: each cook's own list (login required; anyone else's item is a 404).

Every change is a POST that redirects (no state change on GET); every page is paginated and
costs the same number of queries however long the list (``tests/test_shopping.py``).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import ListView, View

from accounts.models import User
from recipes.models import Recipe
from shopping import services
from shopping.forms import AddRecipeForm, TickForm
from shopping.models import MAX_ITEMS, ShoppingItem

PAGE_SIZE = 50


class ShoppingListView(ListView[ShoppingItem]):
    """The list, still to buy first; each item ticks off with its own small form."""

    template_name = "shopping/list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[ShoppingItem]:
        return ShoppingItem.objects.owned_by(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ticked = ShoppingItem.objects.owned_by(self.request.user).ticked().count()
        return super().get_context_data(ticked_count=ticked, **kwargs)


class PrintView(ListView[ShoppingItem]):
    """What is still to buy, on paper: no buttons, no JavaScript, a print style sheet."""

    template_name = "shopping/print.html"
    context_object_name = "items"
    paginate_by = MAX_ITEMS

    def get_queryset(self) -> QuerySet[ShoppingItem]:
        return ShoppingItem.objects.owned_by(self.request.user).filter(ticked=False)


class AddRecipeView(View):
    """``GET``: the servings form on a page of its own (where a login sends the cook back to);
    ``POST``: add the recipe's ingredients, then show the list."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        recipe = get_object_or_404(Recipe, slug=slug)
        form = AddRecipeForm(initial={"servings": recipe.servings})
        return self._render(request, recipe, form)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        recipe = get_object_or_404(Recipe, slug=slug)
        form = AddRecipeForm(request.POST)
        if not form.is_valid():
            return self._render(request, recipe, form, status=400)
        servings = form.cleaned_data["servings"]
        try:
            # LoginRequiredMiddleware let the request in: its user is a logged-in User.
            added = services.add_recipe(
                owner=cast(User, request.user), recipe=recipe, servings=servings
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, recipe, form, status=400)
        if added:
            messages.success(request, f"“{recipe.title}” for {servings} is on your shopping list.")
        else:
            messages.info(request, f"“{recipe.title}” lists no ingredients to add.")
        return HttpResponseRedirect(reverse("shopping:list"))

    def _render(
        self, request: HttpRequest, recipe: Recipe, form: AddRecipeForm, status: int = 200
    ) -> HttpResponse:
        context = {"recipe": recipe, "shop_form": form}
        return render(request, "shopping/add.html", context, status=status)


@require_POST
def tick(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ShoppingItem.objects.owned_by(request.user), pk=pk)
    form = TickForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That page number is not one of the list's.")
        return HttpResponseRedirect(reverse("shopping:list"))
    services.set_ticked(item=item, ticked=form.cleaned_data["ticked"])
    state = "ticked off" if item.ticked else "back on the list"
    messages.success(request, f"“{item.item}” is {state}.")
    page = form.cleaned_data["page"]
    query = f"?page={page}" if page and page > 1 else ""
    return HttpResponseRedirect(f"{reverse('shopping:list')}{query}#item-{item.pk}")


@require_POST
def clear_ticked(request: HttpRequest) -> HttpResponse:
    removed = services.clear_ticked(owner=cast(User, request.user))
    if removed:
        messages.success(request, f"Removed {removed} ticked item{'s' if removed != 1 else ''}.")
    else:
        messages.info(request, "Nothing was ticked off.")
    return HttpResponseRedirect(reverse("shopping:list"))
