"""Single-line text refuses control and format characters, on every form that edits it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.validators import validate_single_line

pytestmark = pytest.mark.django_db

CONTROL_CHARACTERS = {
    "line feed": "\n",
    "carriage return": "\r",
    "tab": "\t",
    "NUL": "\x00",
    "escape": "\x1b",
    "next line": "\x85",
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "byte order mark": "\ufeff",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
}


@pytest.mark.parametrize("character", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
def test_a_control_or_format_character_is_refused_and_named(character):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(f"before{character}after")

    assert refused.value.code == "control_character"
    assert f"(found U+{ord(character):04X})" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Printer on fire",
        "Café ☕ 50 % «ok»",
        "日本語のタイトル",
        "",
        "\U0001f469\u200d\U0001f4bb cannot log in",  # a technologist: woman + joiner + laptop
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with a non-joiner
    ],
)
def test_ordinary_text_in_any_script_is_accepted(text):
    validate_single_line(text)


def test_sign_up_refuses_a_control_character_in_the_username_and_the_address(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "evil\u202eresu",
            "email": '"a\x0bb"@example.com',
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )

    assert response.status_code == 200
    assert {"username", "email"} <= set(response.context["form"].errors)


def test_the_admin_refuses_a_line_break_in_a_users_name(superuser_client, user):
    response = superuser_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": "Ada\r\nBcc: everyone@example.com",
            "last_name": "Lovelace",
            "email": user.email,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 200
    assert "Use a single line of plain text" in str(response.context["adminform"].form.errors)
    user.refresh_from_db()
    assert "\n" not in user.first_name
