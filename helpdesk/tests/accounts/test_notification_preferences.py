"""The notifications page: each user turns each kind of e-mail on or off, for themselves only."""

import pytest
from django.urls import reverse

URL = "/accounts/notifications/"

pytestmark = pytest.mark.django_db


def _checkboxes(response):
    return list(response.context["form"].fields)


def test_a_customer_chooses_between_the_kinds_about_their_own_tickets(user_client):
    response = user_client.get(URL)

    assert response.status_code == 200
    assert _checkboxes(response) == ["notify_staff_reply", "notify_status_change"]
    assert b"<title>E-mail notifications" in response.content


def test_staff_also_choose_the_kinds_about_everyones_tickets(staff_client):
    assert _checkboxes(staff_client.get(URL)) == [
        "notify_new_ticket",
        "notify_customer_reply",
        "notify_staff_reply",
        "notify_status_change",
    ]


def test_saving_turns_unticked_kinds_off_and_says_so(user_client, user):
    response = user_client.post(URL, {"notify_status_change": "on"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert [str(m) for m in response.context["messages"]] == ["Your e-mail choices are saved."]
    user.refresh_from_db()
    assert (user.notify_staff_reply, user.notify_status_change) == (False, True)


def test_a_customer_cannot_post_the_staff_only_kinds(user_client, user):
    user_client.post(URL, {"notify_new_ticket": "", "notify_customer_reply": ""})

    user.refresh_from_db()
    # Not on the form: untouched.
    assert (user.notify_new_ticket, user.notify_customer_reply) == (True, True)


def test_the_page_changes_only_the_visitors_own_account(user_client, user, other_user):
    user_client.post(URL, {}, QUERY_STRING=f"pk={other_user.pk}")

    other_user.refresh_from_db()
    assert (other_user.notify_staff_reply, other_user.notify_status_change) == (True, True)


def test_every_kind_is_on_for_a_new_account(user):
    assert (
        user.notify_new_ticket,
        user.notify_customer_reply,
        user.notify_staff_reply,
        user.notify_status_change,
    ) == (True, True, True, True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_get_changes_nothing(user_client, user):
    user_client.get(URL, {"notify_staff_reply": ""})

    user.refresh_from_db()
    assert user.notify_staff_reply


def test_the_demo_shows_a_customer_who_turned_status_e_mails_off():
    from demo.seed import seed_accounts

    people = seed_accounts()

    assert people["bob"].notify_status_change is False
    assert people["alice"].notify_status_change is True
