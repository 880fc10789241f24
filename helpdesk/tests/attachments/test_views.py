"""Downloads and previews: the ticket's visibility rule, as attachments, with the right headers."""

import pytest
from django.urls import reverse

from tests.attachments import files
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def get(client, url):
    """GET ``url``, reading and closing a file response (its ``body``), as a server would."""
    response = client.get(url)
    response.body = b""
    if response.streaming:
        response.body = b"".join(response.streaming_content)
        # Not response.close(): that also ends the test's database connection.
        for close in response._resource_closers:
            close()
    return response


def download_url(attachment):
    return reverse("attachments:download", kwargs={"pk": attachment.pk})


def preview_url(attachment):
    return reverse("attachments:thumbnail", kwargs={"pk": attachment.pk})


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("creator", 200), ("other", 404), ("staff", 200)]
)
def test_who_may_download_a_tickets_file(role_client, ticket_pdf, role, expected):
    response = get(role_client(role), download_url(ticket_pdf))

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("creator", 404), ("other", 404), ("staff", 200)]
)
def test_an_internal_notes_file_is_for_staff_only(role_client, note_file, role, expected):
    assert get(role_client(role), download_url(note_file)).status_code == expected


def test_another_customers_file_is_the_same_404_as_a_missing_one(other_user_client, ticket_pdf):
    theirs = get(other_user_client, download_url(ticket_pdf))
    missing = other_user_client.get(reverse("attachments:download", kwargs={"pk": 10**9}))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.templates[0].name == missing.templates[0].name == "404.html"


def test_a_download_is_an_attachment_with_the_sniffed_type_and_a_safe_name(user_client, ticket_pdf):
    response = get(user_client, download_url(ticket_pdf))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Rechnung%20M%C3%A4rz%20%22final%22.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.body == files.pdf_bytes()


def test_text_is_downloaded_as_text_never_rendered(user, user_client, attach_files):
    ticket = TicketFactory.create(creator=user)
    (page,) = attach_files(ticket, {"page.txt": files.HTML})

    response = get(user_client, download_url(page))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="page.txt"'


def test_an_image_preview_is_shown_inline_as_a_re_encoded_picture(user, user_client, attach_files):
    ticket = TicketFactory.create(creator=user)
    (photo,) = attach_files(ticket, {"photo.jpg": files.image_bytes("JPEG") + files.HTML})

    response = get(user_client, preview_url(photo))

    body = response.body
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body.startswith(b"\xff\xd8")
    assert b"<script" not in body


def test_a_preview_follows_the_same_rule(other_user_client, user, attach_files):
    ticket = TicketFactory.create(creator=user)
    (photo,) = attach_files(ticket, {"photo.png": files.image_bytes()})

    assert get(other_user_client, preview_url(photo)).status_code == 404


def test_a_file_without_a_preview_has_no_preview_url(user_client, ticket_pdf):
    assert user_client.get(preview_url(ticket_pdf)).status_code == 404


def test_downloads_refuse_post(user_client, ticket_pdf):
    assert user_client.post(download_url(ticket_pdf)).status_code == 405


def test_a_file_the_storage_lost_is_a_404_not_a_500(user_client, ticket_pdf, attachments_root):
    (attachments_root / ticket_pdf.storage_name).unlink()

    assert get(user_client, download_url(ticket_pdf)).status_code == 404


def test_the_ticket_admin_lists_the_files_read_only_with_download_links(
    superuser_client, ticket_pdf
):
    response = superuser_client.get(f"/admin/tickets/ticket/{ticket_pdf.ticket_id}/change/")

    assert f'href="{download_url(ticket_pdf)}"' in response.content.decode()


def test_a_claimed_attachment_row_without_its_id_is_no_server_error(superuser_client, ticket_pdf):
    """A crafted POST that leaves out a row's id made the admin link a file with no key: a 500."""
    ticket = ticket_pdf.ticket
    claimed = {
        "title": "",  # invalid: the page is shown again, with the claimed row
        "description": ticket.description,
        "status": ticket.status,
        "priority": ticket.priority,
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "1",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }

    response = superuser_client.post(f"/admin/tickets/ticket/{ticket.pk}/change/", claimed)

    assert response.status_code == 200
    assert ticket.attachments.get() == ticket_pdf
