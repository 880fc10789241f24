"""A customer attaches files in a real browser and sees them, previews and all."""

import pytest
from playwright.sync_api import expect
from shared.browser import assert_accessible
from shared.factories import DEFAULT_PASSWORD

from tests.attachments import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_opens_a_ticket_with_a_photo_and_a_pdf(
    live_server, page, log_in, user, tmp_path
):
    photo = tmp_path / "printer.png"
    photo.write_bytes(files.image_bytes("PNG", size=(400, 300)))
    manual = tmp_path / "manual.pdf"
    manual.write_bytes(files.pdf_bytes())
    log_in(page, user.username, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/tickets/new/")

    page.get_by_label("Title").fill("Printer jams on page two")
    page.get_by_label("Description").fill("Photo and manual attached.")
    page.get_by_label("Attachments").set_input_files([photo, manual])
    page.get_by_role("button", name="Create ticket").click()

    preview = page.locator("img.attachment-preview")
    expect(preview).to_have_count(1)
    # The preview is lazy-loaded, so the page's load event does not wait for it: wait for the
    # image itself (a 404 or a broken file never gets a width, and the wait fails).
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=preview.element_handle()
    )
    expect(page.get_by_role("link", name="manual.pdf")).to_be_visible()
    assert_accessible(page)


def test_a_refused_file_is_shown_next_to_the_field(live_server, page, log_in, user, tmp_path):
    impostor = tmp_path / "invoice.pdf"
    impostor.write_bytes(files.EXE)
    log_in(page, user.username, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/tickets/new/")

    page.get_by_label("Title").fill("Invoice")
    page.get_by_label("Description").fill("See attached.")
    page.get_by_label("Attachments").set_input_files([impostor])
    page.get_by_role("button", name="Create ticket").click()

    error = page.locator("#id_attachments_error")
    expect(error).to_contain_text("“invoice.pdf” cannot be attached")
    assert_accessible(page)
