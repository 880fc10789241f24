"""Admin for recipes and categories: filter by category, by photo and by date, at a fixed cost.

Photos are never uploaded here: the change form shows a preview, and a moderator can take a
photo off with an action. Every deletion goes through ``recipes.services`` so files go too.
Both lists use ``config.admin.CheckedChangeListMixin`` (an impossible date-hierarchy year is an
invalid lookup, not a 500), and the author's autocomplete ``BoundedAutocompleteMixin``.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from config.admin import BoundedAutocompleteMixin, CheckedChangeListMixin
from recipes import services
from recipes.forms import WholeNumberField
from recipes.ingredient_forms import MAX_ROWS
from recipes.models import Category, Ingredient, Recipe, RecipeQuerySet

THUMBNAIL_COLUMN_SIZE = 64


class HasImageFilter(admin.SimpleListFilter):
    title = "photo"
    parameter_name = "has_image"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("yes", "With a photo"), ("no", "Without a photo")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Recipe]) -> QuerySet[Recipe]:
        recipes = cast(RecipeQuerySet, queryset)  # the admin starts from Recipe.objects
        if self.value() == "yes":
            return recipes.with_image()
        if self.value() == "no":
            return recipes.without_image()
        return queryset


class IngredientInline(admin.TabularInline[Ingredient, Recipe]):
    """The rows as stored: a quantity is a fraction, numerator over denominator (3/4 is 3 and
    4); the database's constraints refuse a zero, half a fraction or a backward range."""

    model = Ingredient
    extra = 0
    # The recipe form's bound, in the admin too: without it a crafted TOTAL_FORMS makes
    # Django build and validate 2,000 rows (its default ceiling), seconds of work a request.
    max_num = MAX_ROWS
    fields = [
        "position",
        "quantity_numerator",
        "quantity_denominator",
        "quantity_max_numerator",
        "quantity_max_denominator",
        "unit",
        "item",
        "note",
    ]
    formfield_overrides = {
        models.PositiveSmallIntegerField: {"form_class": WholeNumberField},
        models.PositiveIntegerField: {"form_class": WholeNumberField},
    }

    def get_formset(
        self, request: HttpRequest, obj: Recipe | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet[Ingredient, Recipe, Any]]:
        return super().get_formset(request, obj, absolute_max=MAX_ROWS, **kwargs)


@admin.register(Recipe)
class RecipeAdmin(CheckedChangeListMixin, BoundedAutocompleteMixin, admin.ModelAdmin[Recipe]):
    list_display = ["thumbnail_column", "title", "author", "category_names", "created"]
    list_display_links = ["thumbnail_column", "title"]
    list_filter = ["categories", HasImageFilter, "created"]
    list_select_related = ["author"]
    search_fields = ["title", "description", "ingredients__item", "author__username"]
    date_hierarchy = "created"
    ordering = ["-created", "-id"]
    # Counting every recipe again next to the filtered count is a second full scan per page.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author"]
    filter_horizontal = ["categories"]
    readonly_fields = ["image_preview", "image_alt", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "description", "categories"]}),
        ("Recipe", {"fields": ["instructions"]}),
        ("Times and servings", {"fields": [("prep_minutes", "cook_minutes", "servings")]}),
        ("Photo", {"fields": ["image_preview", "image_alt"]}),
        ("History", {"fields": ["created", "updated"]}),
    ]
    inlines = [IngredientInline]
    actions = ["remove_photos"]
    # Times and servings in plain digits, as on the site's form (not "1_0" or "٣").
    formfield_overrides = {models.PositiveSmallIntegerField: {"form_class": WholeNumberField}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Recipe]:
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description="Photo")
    def thumbnail_column(self, recipe: Recipe) -> str:
        if not recipe.has_image:
            return "—"
        # Inside a 64 px square at the photo's own proportions: no inline style (the CSP forbids
        # one), and no stretched photo.
        scale = THUMBNAIL_COLUMN_SIZE / max(recipe.thumbnail_width, recipe.thumbnail_height)
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}">',
            recipe.thumbnail.url,
            recipe.image_alt,
            max(1, round(recipe.thumbnail_width * scale)),
            max(1, round(recipe.thumbnail_height * scale)),
        )

    @admin.display(description="Categories")
    def category_names(self, recipe: Recipe) -> str:
        return ", ".join(category.name for category in recipe.categories.all())

    @admin.display(description="Photo")
    def image_preview(self, recipe: Recipe) -> str:
        if not recipe.has_image:
            return "No photo."
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
            recipe.image.url,
            recipe.thumbnail.url,
            recipe.image_alt,
            recipe.thumbnail_width,
            recipe.thumbnail_height,
        )

    @admin.action(description="Remove the photos of the selected recipes")
    def remove_photos(self, request: HttpRequest, queryset: QuerySet[Recipe]) -> None:
        count = services.remove_images(recipes=queryset)
        self.message_user(request, f"Removed {count} photo(s).", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: Recipe) -> None:
        services.delete_recipe(recipe=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Recipe]) -> None:
        for recipe in queryset:
            services.delete_recipe(recipe=recipe)


@admin.register(Category)
class CategoryAdmin(CheckedChangeListMixin, admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "recipe_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(recipe_count=Count("recipes"))

    @admin.display(description="Recipes", ordering="recipe_count")
    def recipe_count(self, category: Any) -> str:
        """The number of recipes, linking to the recipe list filtered by this category."""
        changelist = reverse("admin:recipes_recipe_changelist")
        return format_html(
            '<a href="{}?categories__id__exact={}">{}</a>',
            changelist,
            category.pk,
            category.recipe_count,
        )
