"""Attaching files on the pages: new ticket, reply, internal note; refusals save nothing."""

from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage

from attachments.models import Attachment
from tests.attachments import files
from tests.factories import TicketFactory
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def new_ticket(client, *uploads):
    data = {"title": "Printer jam", "description": "See the photos.", "priority": "normal"}
    return client.post("/tickets/new/", {**data, "attachments": list(uploads)})


def test_a_customer_opens_a_ticket_with_several_files(user_client, user):
    response = new_ticket(
        user_client,
        files.upload("jam.png", files.image_bytes()),
        files.upload("manual.pdf", files.pdf_bytes()),
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert [(a.name, a.comment, a.uploaded_by) for a in ticket.attachments.all()] == [
        ("jam.png", None, user),
        ("manual.pdf", None, user),
    ]


def test_a_refused_file_is_a_form_error_and_no_ticket(user_client, attachments_root):
    response = new_ticket(
        user_client,
        files.upload("fine.pdf", files.pdf_bytes()),
        files.upload("cat.png", files.EXE),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert any("“cat.png” cannot be attached" in error for error in errors)
    assert b'id="id_attachments_error"' in response.content
    assert not Ticket.objects.exists()
    assert stored_files(attachments_root) == []


def test_a_storage_failure_leaves_no_ticket_and_no_file(user_client, attachments_root):
    real_save = FileSystemStorage.save
    calls = []

    def save_then_fail(storage, name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(storage, name, content, **kwargs)

    with mock.patch.object(FileSystemStorage, "save", save_then_fail):
        response = new_ticket(
            user_client,
            files.upload("a.txt", b"first"),
            files.upload("b.txt", b"second"),
        )

    assert "could not be stored" in str(response.context["form"].errors["attachments"])
    assert not Ticket.objects.exists()
    assert stored_files(attachments_root) == []


def test_a_customer_replies_with_a_file(user_client, ticket):
    response = user_client.post(
        f"/tickets/{ticket.pk}/comments/",
        {"body": "Here is the log.", "attachments": [files.upload("crash.log", b"boom")]},
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert [a.name for a in comment.attachments.all()] == ["crash.log"]


def test_a_refused_reply_file_saves_no_comment(user_client, ticket):
    response = user_client.post(
        f"/tickets/{ticket.pk}/comments/",
        {"body": "Here.", "attachments": [files.upload("setup.pdf", files.EXE)]},
    )

    assert response.status_code == 400
    assert "“setup.pdf” cannot be attached" in response.content.decode()
    assert not Comment.objects.exists()


def test_staff_attach_files_to_an_internal_note_that_customers_never_see(
    staff_client, user_client, ticket
):
    staff_client.post(
        f"/tickets/{ticket.pk}/comments/",
        {
            "body": "Server logs.",
            "is_internal": "on",
            "attachments": [files.upload("server.log", b"secret")],
        },
    )

    attachment = Attachment.objects.get()
    assert attachment.comment is not None
    assert attachment.comment.is_internal
    assert "server.log" in staff_client.get(ticket.get_absolute_url()).content.decode()
    assert "server.log" not in user_client.get(ticket.get_absolute_url()).content.decode()


def test_eleven_files_are_refused_with_a_form_error(user_client):
    response = new_ticket(user_client, *(files.upload(f"{n}.txt", b"hello") for n in range(11)))

    assert "Attach at most 10 files" in str(response.context["form"].errors["attachments"])


def test_the_ticket_page_shows_previews_and_file_links(user_client, user, attach_files):
    ticket = TicketFactory.create(creator=user)
    photo, pdf = attach_files(
        ticket, {"jam.png": files.image_bytes(), "manual.pdf": files.pdf_bytes()}
    )

    page = user_client.get(ticket.get_absolute_url()).content.decode()

    assert f'src="/attachments/{photo.pk}/preview/"' in page
    assert f'href="/attachments/{pdf.pk}/"' in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize("count", [1, 10])
def test_the_ticket_page_costs_the_same_queries_with_one_or_many_files(
    staff_client, user, attach_files, django_assert_num_queries, count
):
    ticket = TicketFactory.create(creator=user)
    named = {f"{n}.png": files.image_bytes() for n in range(count)}
    attach_files(ticket, named)
    reply = Comment.objects.create(ticket=ticket, author=user, body="More.")
    attach_files(ticket, named, comment=reply)

    # The staff page's 10 (tests/tickets/test_views.py), whatever the number of files.
    with django_assert_num_queries(10):
        response = staff_client.get(ticket.get_absolute_url())

    assert response.content.decode().count("/preview/") == 2 * count
