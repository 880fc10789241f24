"""``config.schema.SchemaGenerator``: the public schema is built once per process, not per
request, and every caller gets a copy of its own."""

import pytest
from django.urls import reverse
from drf_spectacular import generators

from config.schema import SchemaGenerator

pytestmark = pytest.mark.django_db

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture
def builds(monkeypatch) -> list[bool]:
    """A process that has built no schema yet; each build drf-spectacular makes (its
    ``public`` flag) is recorded."""
    monkeypatch.setattr(SchemaGenerator, "_public_schemas", {})
    recorded: list[bool] = []
    build = generators.SchemaGenerator.get_schema

    def recording(self, request=None, public=False):
        recorded.append(public)
        return build(self, request=request, public=public)

    monkeypatch.setattr(generators.SchemaGenerator, "get_schema", recording)
    return recorded


def test_the_schema_is_built_once_for_every_request_that_asks(builds, api_client, user):
    first = api_client.get(reverse("schema"), HTTP_ACCEPT=JSON).json()
    api_client.force_authenticate(user)
    second = api_client.get(reverse("schema"), HTTP_ACCEPT=JSON).json()
    as_yaml = api_client.get(reverse("schema"))

    assert builds == [True]
    assert second == first
    assert as_yaml.status_code == 200


def test_a_caller_that_changes_its_schema_does_not_change_the_next_callers(builds):
    changed = SchemaGenerator().get_schema(public=True)
    changed["paths"].clear()

    assert "/api/products/" in SchemaGenerator().get_schema(public=True)["paths"]
    assert builds == [True]


def test_a_schema_filtered_by_the_users_permissions_is_never_kept(builds):
    SchemaGenerator().get_schema(public=False)
    SchemaGenerator().get_schema(public=False)

    assert builds == [False, False]
