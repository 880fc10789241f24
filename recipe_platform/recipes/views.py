"""Recipe pages. Reading is public; changing a recipe is for its author only.

Edit and delete look the recipe up in ``Recipe.objects.owned_by(user)``: someone else's recipe
is not found (404), exactly like one that does not exist, staff included (they have the admin).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView
from django.views.generic.edit import ModelFormMixin

from accounts.models import User
from importer import drafts
from recipes import list_reads, services
from recipes.forms import RecipeForm, RecipeSearchForm, ScaleForm
from recipes.ingredient_forms import (
    ADD_ROWS,
    READ_PASTED,
    BaseIngredientFormSet,
    IngredientFormSet,
)
from recipes.ingredients import System
from recipes.list_page import RecipeList
from recipes.models import ListOrder, Recipe
from recipes.page_cache import cache_for_anonymous
from recipes.pagination import CappedCountPaginator
from recipes.structured_data import json_ld_script_content, recipe_json_ld

PAGE_SIZE = 12
MORE_FROM_AUTHOR = 3


@method_decorator(login_not_required, name="dispatch")
@method_decorator(cache_for_anonymous, name="get")
class RecipeListView(ListView[Recipe]):
    """Recipe cards, newest first or best rated first, with search and a category filter.

    Four queries whatever the page: categories, count (capped at 1,000: "1,000+"), the page with
    authors, their categories; three when the whole list fits on the first page. Every order
    and filter walks an index (``recipe_newest_idx``, ``recipe_best_rated_idx``). Anonymous
    visitors browsing (not searching) get the page from the shared cache: one query.

    An unknown category is a 404 and a search the form refuses (too long, a NUL byte) a 400,
    each with the list's own page and its error: the address names nothing that exists, and the
    page cache, which stores only 200s, never keeps what a visitor made up.
    """

    template_name = "recipes/recipe_list.html"
    context_object_name = "recipes"
    paginate_by = PAGE_SIZE
    paginator_class = CappedCountPaginator

    def get_queryset(self) -> RecipeList | QuerySet[Recipe]:  # type: ignore[override] # paged like a QuerySet
        """Recipes through composed statements (``recipes.list_page``); none for a refused
        query string."""
        self.categories = list_reads.categories()
        self.search_form = RecipeSearchForm(self.request.GET, categories=self.categories)
        if not self.search_form.is_valid():
            return Recipe.objects.none()
        data = self.search_form.cleaned_data
        return RecipeList(text=data["q"], category=data["category"], order=data["sort"])

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        if self.search_form.errors:
            status = 404 if "category" in self.search_form.errors else 400
            response_kwargs.setdefault("status", status)
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cleaned = getattr(self.search_form, "cleaned_data", {})
        return super().get_context_data(
            categories=self.categories,
            search_form=self.search_form,
            query=cleaned.get("q", ""),
            active_category=cleaned.get("category"),
            active_sort=cleaned.get("sort", ListOrder.NEWEST),
            orders=ListOrder.choices,
            **kwargs,
        )


@method_decorator(login_not_required, name="dispatch")
class RecipeDetailView(DetailView[Recipe]):
    """A recipe, its ingredients scaled to ``?servings=`` and written in ``?units=``."""

    template_name = "recipes/recipe_detail.html"
    queryset = Recipe.objects.for_cards().prefetch_related("categories", "ingredients")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        recipe = self.object
        asked = self.request.GET if {"servings", "units"} & set(self.request.GET) else None
        servings, system = ScaleForm(asked, recipe=recipe).choice()
        # The form shows what the page shows: a refused value is replaced, not echoed.
        scale_form = ScaleForm(initial={"servings": servings, "units": system}, recipe=recipe)
        more = Recipe.objects.filter(author_id=recipe.author_id).exclude(pk=recipe.pk)
        data = recipe_json_ld(recipe, absolute_uri=self.request.build_absolute_uri)
        return super().get_context_data(
            json_ld=json_ld_script_content(data),
            more_from_author=more[:MORE_FROM_AUTHOR],
            can_edit=recipe.author_id == self.request.user.pk,
            scale_form=scale_form,
            servings=servings,
            units=system,
            units_label=System(system).label,
            ingredients=recipe.scaled_ingredients(servings, system),
            **kwargs,
        )


class RecipeFormMixin(ModelFormMixin[Recipe, RecipeForm]):
    """What creating and editing share: the form and its ingredient rows, keeping a good photo
    on a failed submit, and the two buttons that change the rows without saving
    (:mod:`recipes.ingredient_forms`)."""

    request: HttpRequest
    form_class = RecipeForm
    template_name: str | None = "recipes/recipe_form.html"
    success_message = ""
    formset: BaseIngredientFormSet
    rows_changed = False

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not hasattr(self, "formset"):
            self.formset = IngredientFormSet.for_recipe(getattr(self, "object", None))
        return super().get_context_data(
            ingredient_formset=self.formset,
            rows_changed=self.rows_changed,
            add_rows_button=ADD_ROWS,
            read_pasted_button=READ_PASTED,
            **kwargs,
        )

    def load_object(self) -> None:
        """Set ``self.object``: the recipe being edited, or none for a new one."""
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load_object()
        form = self.get_form()
        self.formset = IngredientFormSet(request.POST)
        if ADD_ROWS in request.POST or READ_PASTED in request.POST:
            return self.change_rows(form)
        # Both validated, so every error shows at once.
        if form.is_valid() & self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def change_rows(self, form: RecipeForm) -> HttpResponse:
        """Re-display the form with rows added or the pasted list read; save nothing.

        The form is still validated, so a good photo is held like after a form error, but no
        error is shown: the cook has not asked to publish yet.
        """
        data = self.formset.rebuilt_data(
            add_rows=ADD_ROWS in self.request.POST, read_pasted=READ_PASTED in self.request.POST
        )
        form.data = data
        form.is_valid()
        form.keep_upload()
        form.errors.clear()
        self.formset = IngredientFormSet(form.data)
        self.rows_changed = True
        return super().form_invalid(form)

    def form_invalid(self, form: RecipeForm) -> HttpResponse:
        form.keep_upload()
        return super().form_invalid(form)

    def form_valid(self, form: RecipeForm) -> HttpResponse:
        recipe = form.save(commit=False)
        if recipe._state.adding:
            # LoginRequiredMiddleware let the request in: its user is a logged-in User.
            recipe.author = cast(User, self.request.user)
        try:
            self.object = services.save_recipe(
                recipe=recipe,
                categories=form.cleaned_data["categories"],
                image=form.new_image,
                image_alt=form.cleaned_data["image_alt"],
                ingredients=self.formset.rows,
                editor=cast(User, self.request.user),  # recorded in the recipe's history
            )
        except ValidationError as error:  # the storage failed, or a held photo was taken
            form.refuse_photo(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(title=recipe.title))
        return HttpResponseRedirect(self.object.get_absolute_url())


# django-stubs types SingleObjectMixin.object as Recipe, BaseCreateView.object as Recipe | None.
class RecipeCreateView(RecipeFormMixin, CreateView[Recipe, RecipeForm]):  # type: ignore[misc]
    success_message = "Your recipe “{title}” is published."

    def load_object(self) -> None:
        self.object = None  # type: ignore[assignment]  # the stubs' CreateView quirk, above

    def get_initial(self) -> dict[str, Any]:
        # A URL import's draft (importer.drafts), when the address names it.
        return {**super().get_initial(), **drafts.initial(self.request)}


class RecipeUpdateView(RecipeFormMixin, UpdateView[Recipe, RecipeForm]):
    success_message = "Your changes to “{title}” are saved."

    def load_object(self) -> None:
        self.object = self.get_object()

    def get_queryset(self) -> QuerySet[Recipe]:
        return Recipe.objects.owned_by(self.request.user).prefetch_related("ingredients")


class RecipeDeleteView(DeleteView[Recipe, Any]):
    template_name = "recipes/recipe_confirm_delete.html"
    success_url = reverse_lazy("recipes:mine")

    def get_queryset(self) -> QuerySet[Recipe]:
        return Recipe.objects.owned_by(self.request.user)

    def form_valid(self, form: Form) -> HttpResponse:
        title = self.object.title
        services.delete_recipe(recipe=self.object)
        messages.success(self.request, f"“{title}” was deleted.")
        return HttpResponseRedirect(self.get_success_url())


class MyRecipesView(ListView[Recipe]):
    template_name = "recipes/my_recipes.html"
    context_object_name = "recipes"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Recipe]:
        return Recipe.objects.owned_by(self.request.user)
