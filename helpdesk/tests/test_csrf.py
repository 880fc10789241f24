"""Every form is CSRF-protected: a forged POST without the token is refused and changes nothing.

Signing in, signing out and changing a password are the shared contract's
(``shared.contract.csrf``, ``TestCsrf`` in tests/test_contract.py); here are the help desk's forms.
"""

import pytest
from django.test import Client

from tickets.models import Comment, Status, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def _token(client, page):
    """The token a real browser would submit: read from the page's form."""
    response = client.get(page)
    return response.context["csrf_token"]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/tickets/{pk}/status/", {"status": "resolved"}),
        ("/tickets/{pk}/priority/", {"priority": "urgent"}),
        ("/tickets/{pk}/assign/", {"assignee": ""}),
        ("/tickets/{pk}/comments/", {"body": "Forged"}),
    ],
)
def test_staff_writes_without_a_token_are_refused(csrf_client, staff_user, ticket, path, data):
    csrf_client.force_login(staff_user)

    response = csrf_client.post(path.format(pk=ticket.pk), data)

    assert response.status_code == 403
    assert b"This form has expired" in response.content
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not ticket.history.exists()
    assert not Comment.objects.exists()


def test_status_change_with_the_pages_token_works(csrf_client, staff_user, ticket):
    csrf_client.force_login(staff_user)
    token = _token(csrf_client, ticket.get_absolute_url())

    response = csrf_client.post(
        f"/tickets/{ticket.pk}/status/", {"status": "resolved", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_creating_a_ticket_needs_the_token(csrf_client, user):
    csrf_client.force_login(user)
    data = {"title": "Forged", "description": "From another site.", "priority": "low"}

    refused = csrf_client.post("/tickets/new/", data)
    token = _token(csrf_client, "/tickets/new/")
    accepted = csrf_client.post("/tickets/new/", {**data, "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert Ticket.objects.count() == 1


def test_every_form_on_the_ticket_page_carries_a_token(staff_client, ticket):
    content = staff_client.get(ticket.get_absolute_url()).content.decode()

    assert content.count('method="post"') == content.count('name="csrfmiddlewaretoken"')
    assert content.count('method="post"') >= 5
