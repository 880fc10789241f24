"""The gallery's management page (the recipe's author and staff) and its four POST actions.

Every URL looks the recipe or photo up among those the visitor manages first
(``gallery.models.manageable_recipes``), so another cook's is a 404 whatever the method, exactly
like one that does not exist; only then is a GET of an action refused (405): no GET changes
anything. Each action redirects back to the page with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from gallery import services
from gallery.forms import PhotoUploadForm
from gallery.models import MAX_GALLERY_PHOTOS, MAX_PHOTOS, RecipePhoto, manageable_recipes
from recipes.models import Recipe


class GalleryView(View):
    """``GET``: the recipe's photos with their buttons, and the upload form. ``POST``: upload.

    A refused upload (a bad file, no description, a full gallery) is a 400 with the page and
    the error beside its field; nothing is stored.
    """

    template_name = "gallery/manage.html"
    recipe: Recipe

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.recipe = get_object_or_404(manageable_recipes(request.user), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render_page(PhotoUploadForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = PhotoUploadForm(request.POST, request.FILES, full=services.is_full(self.recipe))
        if form.is_valid():
            try:
                services.add_photo(
                    recipe=self.recipe,
                    image=form.cleaned_data["image"],
                    alt=form.cleaned_data["alt"],
                )
            except ValidationError as error:  # full meanwhile, or the storage failed
                form.add_error("image", error)
            else:
                messages.success(request, "The photo is added to the gallery.")
                return HttpResponseRedirect(gallery_url(self.recipe))
        return self.render_page(form, status=400)

    def render_page(self, form: PhotoUploadForm, status: int = 200) -> HttpResponse:
        photos = list(self.recipe.photos.all())
        context = {
            "recipe": self.recipe,
            "photos": photos,
            "form": form,
            "max_photos": MAX_PHOTOS,
            "photo_count": len(photos) + self.recipe.has_image,
            "full": len(photos) >= MAX_GALLERY_PHOTOS,
        }
        return render(self.request, self.template_name, context, status=status)


class PhotoActionView(View):
    """A POST on one photo of a gallery the visitor manages."""

    http_method_names = ["post"]
    photo: RecipePhoto

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        photos = RecipePhoto.objects.managed_by(request.user).select_related("recipe")
        self.photo = get_object_or_404(photos, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            self.act(request, self.photo)
        except (RecipePhoto.DoesNotExist, Recipe.DoesNotExist) as gone:  # deleted meanwhile
            raise Http404 from gone
        return HttpResponseRedirect(gallery_url(self.photo.recipe))

    def act(self, request: HttpRequest, photo: RecipePhoto) -> None:
        raise NotImplementedError


class DeletePhotoView(PhotoActionView):
    def act(self, request: HttpRequest, photo: RecipePhoto) -> None:
        services.delete_photo(photo=photo)
        messages.success(request, f"The photo “{photo.alt}” is deleted.")


class MovePhotoView(PhotoActionView):
    """Move up (``offset=-1``) or down (``offset=1``); at either end, nothing moves."""

    offset = 0

    def act(self, request: HttpRequest, photo: RecipePhoto) -> None:
        if services.move_photo(photo=photo, offset=self.offset):
            direction = "up" if self.offset < 0 else "down"
            messages.success(request, f"The photo “{photo.alt}” moved {direction}.")
        else:
            end = "first" if self.offset < 0 else "last"
            messages.info(request, f"The photo “{photo.alt}” is already {end}.")


class MakeCoverView(PhotoActionView):
    def act(self, request: HttpRequest, photo: RecipePhoto) -> None:
        services.make_cover(photo=photo)
        messages.success(request, f"The photo “{photo.alt}” is now the cover.")


def gallery_url(recipe: Recipe) -> str:
    return reverse("gallery:manage", kwargs={"slug": recipe.slug})
