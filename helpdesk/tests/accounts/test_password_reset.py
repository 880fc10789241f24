"""Password reset by e-mail: end to end over real SMTP, no enumeration, throttled, degrades.

The request form only enqueues the lookup, so a known and an unknown address get the same
page after the same work; the e-mail goes through the outbox and the worker like every other.
Accounts without a usable password (created from an inbound e-mail) claim themselves this way.
The limits (10 requests an hour per client address, 3 e-mails an hour per typed address) are
asserted as the README states them.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from shared.factories import UserFactory
from shared.services import free_port

from config import cache as resilient
from mail.models import OutboundEmail

RESET_URL = "/accounts/password/reset/"
DONE_URL = "/accounts/password/reset/sent/"
NEW_PASSWORD = "a-brand-new-passphrase-42"


def _link(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    (url,) = re.findall(r"http\S+/password/reset/\S+/", text)
    return url


def _reset_through_the_link(client, url):
    """Follow the e-mailed link, set the new password; return the pages seen."""
    landing = client.get(urlsplit(url).path)
    form_url = landing["Location"]
    form_page = client.get(form_url)
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    return landing, form_url, form_page, done


@pytest.mark.django_db(transaction=True)
def test_a_reset_goes_from_the_request_through_real_smtp_to_a_login_with_the_new_password(
    client, settings, smtp_server
):
    settings.SITE_URL = "https://help.example.com"
    user = UserFactory.create(username="carol", email="carol@example.com")

    response = client.post(RESET_URL, {"email": "Carol@Example.com"}, HTTP_HOST="localhost")

    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    (message,) = smtp_server.wait_for(1)
    assert smtp_server.envelopes[0][1] == ["carol@example.com"]
    assert message["Subject"] == "Reset your Helpdesk password"
    assert message.get_content_type() == "multipart/alternative"
    url = _link(message)
    assert url.startswith("https://help.example.com/accounts/password/reset/")  # not the Host
    landing, form_url, form_page, done = _reset_through_the_link(client, url)
    # The token leaves the address bar at once: the form's URL (and any Referer) lacks it.
    assert landing.status_code == 302
    assert form_url.endswith("/set-password/")
    assert url.rstrip("/").rsplit("/", 1)[1] not in form_url
    assert form_page.status_code == 200
    assert form_page["Referrer-Policy"] == "same-origin"
    assert done["Location"] == reverse("password_reset_complete")
    assert (
        client.post(reverse("login"), {"username": "carol", "password": NEW_PASSWORD}).status_code
        == 302
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert b"This link no longer works" in client.get(urlsplit(url).path, follow=True).content


@pytest.mark.django_db(transaction=True)
def test_an_account_without_a_usable_password_is_claimed_through_a_reset(client, smtp_server):
    user = UserFactory.create(username="from-mail", email="new@example.org")
    user.set_unusable_password()
    user.save()

    client.post(RESET_URL, {"email": "new@example.org"})

    (message,) = smtp_server.wait_for(1)
    *_, done = _reset_through_the_link(client, _link(message))
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_an_unknown_address_gets_the_same_page_and_no_mail(client, smtp_server):
    UserFactory.create(username="carol", email="carol@example.com")

    known = client.post(RESET_URL, {"email": "carol@example.com"}, follow=True)
    unknown = client.post(RESET_URL, {"email": "nobody@example.com"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain == [(DONE_URL, 302)]
    assert unknown.content == known.content
    smtp_server.wait_for(1)
    assert [to for _, to in smtp_server.envelopes] == [["carol@example.com"]]
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_inactive_account_gets_no_reset_mail(client, smtp_server):
    UserFactory.create(username="gone", email="gone@example.com", is_active=False)

    response = client.post(RESET_URL, {"email": "gone@example.com"})

    assert response["Location"] == DONE_URL
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_the_login_page_links_to_the_reset(client):
    assert f'href="{RESET_URL}"'.encode() in client.get(reverse("login")).content


@pytest.mark.django_db
def test_a_malformed_address_is_a_field_error(client):
    response = client.post(RESET_URL, {"email": "not an address"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}


@pytest.mark.django_db
def test_a_forged_link_shows_the_expired_page(client):
    response = client.get("/accounts/password/reset/MQ/abc-123/", follow=True)

    assert response.status_code == 200
    assert b"This link no longer works" in response.content


# --- throttling ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_address_gets_three_reset_mails_an_hour_and_the_same_page_after(
    client, django_capture_on_commit_callbacks
):
    UserFactory.create(username="carol", email="carol@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(RESET_URL, {"email": "carol@example.com"}, REMOTE_ADDR=f"10.0.0.{n}")
            for n in range(5)
        ]

    assert [r["Location"] for r in responses] == [DONE_URL] * 5
    assert OutboundEmail.objects.count() == 3


@pytest.mark.django_db
def test_one_client_address_may_ask_ten_times_an_hour_then_gets_a_429(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        allowed = [
            client.post(RESET_URL, {"email": f"user{n}@example.com"}).status_code for n in range(10)
        ]
        refused = client.post(RESET_URL, {"email": "user10@example.com"})
        elsewhere = client.post(RESET_URL, {"email": "user11@example.com"}, REMOTE_ADDR="192.0.2.7")

    assert allowed == [302] * 10
    assert refused.status_code == 429
    assert refused.context["form"].non_field_errors() == [
        "Too many reset requests from your network. Try again later."
    ]
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_with_the_cache_unreachable_a_reset_still_works_unthrottled(
    client, settings, django_capture_on_commit_callbacks, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    resilient._breakers.clear()
    UserFactory.create(username="carol", email="carol@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(RESET_URL, {"email": "carol@example.com"}) for _ in range(4)]

    resilient._breakers.clear()
    assert [r.status_code for r in responses] == [302] * 4
    assert OutboundEmail.objects.count() == 4
    assert any("let through" in record.getMessage() for record in caplog.records)
