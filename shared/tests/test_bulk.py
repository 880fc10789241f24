from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from shared.bulk import Numbered, insert_rows

pytestmark = pytest.mark.django_db


def test_rows_get_numbered_and_constant_values_and_the_fields_defaults():
    insert_rows(User, 3, username=Numbered("cook-{n}"), password="!", last_name="Same")

    users = list(User.objects.order_by("pk"))
    assert [user.username for user in users] == ["cook-0", "cook-1", "cook-2"]
    assert {user.last_name for user in users} == {"Same"}
    assert all(user.is_active and not user.is_staff and user.first_name == "" for user in users)
    assert all(timezone.now() - user.date_joined < timedelta(minutes=1) for user in users)
    assert {user.last_login for user in users} == {None}


def test_a_list_gives_each_row_its_own_value():
    insert_rows(User, 3, username=Numbered("u{n}"), password="!", is_staff=[True, False, True])

    assert list(User.objects.order_by("pk").values_list("is_staff", flat=True)) == [
        True,
        False,
        True,
    ]


def test_a_model_instance_stands_for_its_key():
    kind = ContentType.objects.get_for_model(User)

    insert_rows(
        Permission, 2, name=Numbered("Bulk {n}"), codename=Numbered("bulk_{n}"), content_type=kind
    )

    assert set(
        Permission.objects.filter(codename__startswith="bulk_").values_list(
            "content_type", flat=True
        )
    ) == {kind.pk}


def test_a_field_without_any_default_must_be_given():
    with pytest.raises(TypeError, match=r"auth\.Permission\.content_type has no default"):
        insert_rows(Permission, 1, name="Alone", codename="alone")

    assert not Permission.objects.filter(codename="alone").exists()


def test_an_unknown_field_and_a_list_of_the_wrong_length_are_refused():
    with pytest.raises(TypeError, match=r"auth\.User has no field nickname"):
        insert_rows(User, 1, username="u", password="!", nickname="x")
    with pytest.raises(ValueError, match="is_staff: 2 values for 3 rows"):
        insert_rows(User, 3, username=Numbered("u{n}"), password="!", is_staff=[True, False])
