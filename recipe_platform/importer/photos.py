"""An imported recipe's photo: fetched safely, through the upload pipeline, held for the form.

The photo is fetched like the page (:mod:`importer.safe_fetch`, capped at the pipeline's own
10 MB), checked and re-encoded by ``recipes.images.process_upload`` exactly as an upload is,
and stored as a *held* photo (``images.store(held=True)``): recorded as unused
(``UnusedPhotoFile``) for its 24 hours and the margin, so the clean-up deletes it if the cook
never publishes the recipe. The create form receives a signed token for it, bound to the user
who imported it and valid as long as the hold (:func:`reference`); the form turns it back into
the stored photo with :func:`resolve`, and the recipe's save takes the files
(``UnusedPhotoFile.objects.claim``), once: a second submit of the same form is refused.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.files.base import ContentFile

from importer import safe_fetch
from recipes import images
from recipes.images import StoredImage

#: What ``resolve`` returns: the same record a held upload is.
StoredPhoto = StoredImage

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
_SALT = "importer.photos"


def import_photo(url: str) -> StoredPhoto:
    """Fetch, check, re-encode and store the photo at ``url``.

    Raises ``safe_fetch.FetchRefused`` or the pipeline's ``ValidationError``.
    """
    fetched = safe_fetch.fetch(url, accept=PHOTO_TYPES, max_bytes=images.MAX_UPLOAD_BYTES)
    processed = images.process_upload(ContentFile(fetched.body, name="imported"))
    return images.store(processed, held=True)


def reference(photo: StoredPhoto, user: AbstractBaseUser) -> str:
    """A signed token for ``photo``, good for ``user`` only, as long as the hold lasts."""
    payload = {
        "user": user.pk,
        "display": [photo.display_name, *photo.display_size],
        "thumbnail": [photo.thumbnail_name, *photo.thumbnail_size],
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def resolve(token: str, user: AbstractBaseUser | AnonymousUser) -> StoredPhoto | None:
    """The photo ``token`` stands for, or ``None`` when it is not ``user``'s, was tampered
    with, or is older than the hold (its files may be gone by then)."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=images.HELD_MAX_AGE)
        if payload["user"] != user.pk or not user.is_authenticated:
            return None
        display_name, display_width, display_height = payload["display"]
        thumbnail_name, thumbnail_width, thumbnail_height = payload["thumbnail"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return StoredPhoto(
        display_name=str(display_name),
        display_size=(int(display_width), int(display_height)),
        thumbnail_name=str(thumbnail_name),
        thumbnail_size=(int(thumbnail_width), int(thumbnail_height)),
    )
