"""The admin's "view on site" shortcut answers 404, never 500, for an id no key can be."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("object_id", ["1_0", "not-a-uuid", "1e309"])
def test_an_impossible_id_of_a_uuid_keyed_model_is_not_found(superuser_client, object_id):
    """django_tasks_db's results have UUID keys, which Django's view left as a 500."""
    results = ContentType.objects.get_for_model(DBTaskResult)

    response = superuser_client.get(f"/admin/r/{results.pk}/{object_id}/")

    assert response.status_code == 404


def test_it_still_needs_a_staff_login(client):
    results = ContentType.objects.get_for_model(DBTaskResult)

    response = client.get(f"/admin/r/{results.pk}/1_0/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
