"""Small rules every project keeps: no crash on an integer no column can hold, a README whose
rules table and model diagram match the code, and the admin's "view on site" shortcut.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.test import Client

from shared.contract import Deployment
from shared.model_diagram import committed_block, project_models, render
from shared.rule_map import broken_references

HUGE = 2**64


@pytest.mark.django_db
class IntegerLookupsContract:
    """Numbers past the database's integer range match no row instead of crashing the query.

    SQLite's driver cannot bind an integer past 64 bits; Django guards ``exact``/``gt``/``lt``
    on an integer column but not ``in`` nor the lookups across a relation
    (config/integer_lookups.py). Subclass as ``TestIntegerLookups``.
    """

    @pytest.fixture
    def member(self, user: AbstractUser) -> AbstractUser:
        group = Group.objects.create(name="members")
        user.groups.add(group)
        return user

    def test_in_drops_values_no_row_can_hold(self, member: AbstractUser) -> None:
        users = get_user_model().objects

        assert list(users.filter(pk__in=[HUGE, member.pk])) == [member]
        assert list(users.filter(pk__in=[HUGE, -HUGE])) == []

    def test_exact_across_a_relation_matches_nothing(self, member: AbstractUser) -> None:
        assert not get_user_model().objects.filter(groups__exact=HUGE).exists()
        assert not get_user_model().objects.filter(groups__in=[HUGE]).exists()

    def test_comparisons_across_a_relation_are_decided_without_the_database(
        self, member: AbstractUser
    ) -> None:
        users = get_user_model().objects

        assert list(users.filter(groups__lt=HUGE)) == [member]
        assert list(users.filter(groups__lte=HUGE)) == [member]
        assert list(users.filter(groups__gt=-HUGE)) == [member]
        assert list(users.filter(groups__gte=-HUGE)) == [member]
        assert not users.filter(groups__gt=HUGE).exists()
        assert not users.filter(groups__lt=-HUGE).exists()

    def test_values_in_range_are_untouched(self, member: AbstractUser) -> None:
        group = member.groups.get()

        assert list(get_user_model().objects.filter(groups__in=[group.pk])) == [member]
        assert list(get_user_model().objects.filter(groups__exact=group.pk)) == [member]


class ReadmeContract:
    """The README's "Where each rule lives" table and model diagram match the code.

    Subclass as ``TestReadme``. When the diagram test fails, a model changed: run
    ``nox -s "diagrams(<project>)"`` and commit the README.
    """

    @pytest.fixture(scope="class")
    @classmethod
    def readme(cls, deployment: Deployment) -> str:
        return (deployment.project_dir / "README.md").read_text(encoding="utf-8")

    def test_every_reference_in_the_rules_table_exists(
        self, readme: str, deployment: Deployment
    ) -> None:
        assert broken_references(readme, deployment.project_dir) == []

    def test_the_readmes_model_diagram_matches_the_models(
        self, readme: str, deployment: Deployment
    ) -> None:
        assert committed_block(readme) == render(project_models(deployment.project_dir)), (
            f'The models changed: run nox -s "diagrams({deployment.name})" and commit the README.'
        )


@pytest.mark.django_db
class AdminViewOnSiteContract:
    """The admin's "view on site" shortcut answers 404, never 500, for an id no key can be.

    django_tasks_db's results have UUID keys, which Django's view left as a 500. Subclass as
    ``TestAdminViewOnSite``.
    """

    @pytest.fixture
    def results_type(self) -> int:
        from django.contrib.contenttypes.models import ContentType
        from django_tasks_db.models import DBTaskResult

        pk: int = ContentType.objects.get_for_model(DBTaskResult).pk
        return pk

    @pytest.mark.parametrize("object_id", ["1_0", "not-a-uuid", "1e309"])
    def test_an_impossible_id_of_a_uuid_keyed_model_is_not_found(
        self, superuser_client: Client, results_type: int, object_id: str
    ) -> None:
        response = superuser_client.get(f"/admin/r/{results_type}/{object_id}/")

        assert response.status_code == 404

    def test_it_still_needs_a_staff_login(self, client: Client, results_type: int) -> None:
        response = client.get(f"/admin/r/{results_type}/1_0/")

        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
