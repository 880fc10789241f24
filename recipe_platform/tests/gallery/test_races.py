"""Concurrent uploads cannot make a ninth photo: each one locks the recipe's row, then counts.

Each thread has its own database connection, so on PostgreSQL (``DATABASE_URL``; CI runs the
suite there too) the transactions really run in parallel: a count taken without the lock would
let two uploads take the last place, and the second would fail on the unique (recipe, position)
as a 500 instead of the form's message. On SQLite the IMMEDIATE transactions queue the writers
one by one, so the race cannot be lost there and the test is skipped.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from shared.concurrency import all_at_once
from shared.images import make_uploaded_image

from gallery import services
from gallery.models import RecipePhoto
from recipes import images

pytestmark = [
    # Serialized like every committing test here: its flush then leaves the content types to be
    # put back with their ids, instead of recreating them under new ids that the next
    # serialized test's set-up would collide with.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs writers one at a time: the race needs PostgreSQL (DATABASE_URL)",
    ),
]

UPLOADS = 6


def test_uploads_racing_for_the_last_places_make_no_ninth_photo(recipe, add_photos):
    add_photos(recipe, 5)  # two places left
    processed = images.process_upload(make_uploaded_image(size=(40, 30)))

    def upload(index: int) -> RecipePhoto | ValidationError:
        try:
            return services.add_photo(recipe=recipe, image=processed, alt=f"Racer {index}")
        except ValidationError as refused:
            return refused

    results = all_at_once(UPLOADS, upload)

    added = [result for result in results if isinstance(result, RecipePhoto)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(added) == 2, results
    assert [error.code for error in refused] == ["gallery_full"] * (UPLOADS - 2), results
    positions = RecipePhoto.objects.filter(recipe=recipe).values_list("position", flat=True)
    assert sorted(positions) == list(range(7))
