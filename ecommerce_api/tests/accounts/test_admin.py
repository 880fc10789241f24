import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changelist", ["axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"]
)
def test_django_axes_lists_refuse_an_impossible_year_as_an_invalid_lookup(
    superuser_client, changelist
):
    url = reverse(f"admin:{changelist}_changelist")

    assert superuser_client.get(url).status_code == 200
    response = superuser_client.get(f"{url}?attempt_time__year=18446744073709551616")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


def test_a_name_on_two_lines_is_refused_by_the_user_form(superuser_client, user):
    url = reverse("admin:accounts_user_change", args=[user.pk])

    response = superuser_client.post(
        url,
        {
            "username": user.username,
            "first_name": "Ann\r\nBcc: everyone@example.com",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 200
    assert "control characters (found U+000D)" in response.content.decode()
    user.refresh_from_db()
    assert user.first_name != "Ann\r\nBcc: everyone@example.com"
