"""The database holds the title rules, whatever path the row takes."""

import pytest
from django.db import IntegrityError

from canned.models import CannedReply

pytestmark = pytest.mark.django_db


def test_titles_are_unique_ignoring_case_in_the_database():
    CannedReply.objects.create(title="Password reset", body="a")

    with pytest.raises(IntegrityError):
        CannedReply.objects.create(title="PASSWORD RESET", body="b")


def test_replies_are_ordered_by_title_ignoring_case():
    for title in ("banana", "Cherry", "apple"):
        CannedReply.objects.create(title=title, body="x")

    assert list(CannedReply.objects.values_list("title", flat=True)) == [
        "apple",
        "banana",
        "Cherry",
    ]
