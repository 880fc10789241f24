from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_media_root_points_at_a_temporary_folder(media_root, tmp_path):
    assert Path(settings.MEDIA_ROOT) == media_root
    assert media_root.is_dir()
    assert media_root.is_relative_to(tmp_path)


def test_user_fixtures_are_three_different_people(user, other_user, staff_user, superuser):
    assert len({user.pk, other_user.pk, staff_user.pk, superuser.pk}) == 4
    assert not user.is_staff
    assert not other_user.is_staff
    assert staff_user.is_staff
    assert not staff_user.is_superuser
    assert superuser.is_superuser


@pytest.mark.parametrize(
    ("client_fixture", "username"),
    [
        ("user_client", "customer"),
        ("other_user_client", "other"),
        ("staff_client", "agent"),
        ("superuser_client", "root"),
    ],
)
def test_logged_in_clients_are_logged_in_as_their_user(request, client_fixture, username):
    client = request.getfixturevalue(client_fixture)

    assert client.get("/whoami/").content.decode() == username


def test_api_client_is_an_anonymous_drf_client(api_client):
    from rest_framework.test import APIClient

    assert isinstance(api_client, APIClient)
    assert api_client.get("/api/whoami/").json() == {"username": ""}


def test_user_api_client_is_authenticated_as_user(user_api_client, user):
    from rest_framework.test import APIClient

    assert isinstance(user_api_client, APIClient)
    assert user_api_client.get("/api/whoami/").json() == {"username": user.username}


def test_plugin_does_not_import_django_rest_framework_by_itself():
    import subprocess
    import sys

    code = "import sys, shared.pytest_plugin; print('rest_framework' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"
