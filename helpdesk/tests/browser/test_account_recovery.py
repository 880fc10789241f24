"""In Chromium: a forgotten password recovered through the e-mailed link, and the e-mail
choices page; each screen checked with axe-core (and for CSP violations by the ``page``)."""

import re

import pytest
from playwright.sync_api import expect
from shared.browser import assert_accessible
from shared.factories import StaffUserFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "correct-horse-battery-7"


def test_a_customer_recovers_their_password_from_the_login_page(
    live_server, page, smtp_server, settings
):
    settings.SITE_URL = live_server.url
    UserFactory.create(username="carol", email="carol@example.com")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_title(re.compile("Reset your password"))
    page.get_by_role("button", name="Send the link").click()  # empty: a field error
    expect(page.locator(".error").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email").fill("carol@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert_accessible(page)

    (message,) = smtp_server.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content()
    (link,) = re.findall(r"http\S+/password/reset/\S+/", text)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert "set-password" in page.url
    assert_accessible(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Log in").last.click()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back, carol.")).to_be_visible()


def test_a_used_or_forged_link_offers_a_new_one(live_server, page):
    page.goto(f"{live_server.url}/accounts/password/reset/MQ/forged-token/")

    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("staff", [False, True], ids=["customer", "staff"])
def test_the_email_choices_page_saves_and_says_so(live_server, page, log_in, staff):
    factory = StaffUserFactory if staff else UserFactory
    factory.create(username="pat")
    log_in(page, "pat")

    page.get_by_role("link", name="E-mails").click()
    expect(page.get_by_role("heading", name="E-mail notifications")).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(4 if staff else 2)
    assert_accessible(page)
    page.get_by_label("Your ticket's status changes").uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Your e-mail choices are saved.")).to_be_visible()
    expect(page.get_by_label("Your ticket's status changes")).not_to_be_checked()
    assert_accessible(page)
