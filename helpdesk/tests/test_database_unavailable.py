"""A database that is away, where the help desk's own code meets it.

The rule itself (a view's or the session's database error answers the 503 page with
``Retry-After: 10``, logged as one WARNING; any other error is still the friendly 500) is the
contract's, run in ``tests/test_contract.py`` (``TestDatabaseOutage``,
``TestDatabaseOutageBeforeAnyView``). Here: a reply cut off mid-transaction leaves nothing
behind, and the page renders without any context. PostgreSQL really restarted under gunicorn
is ``tests/faults/``.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.template.loader import get_template
from django.urls import reverse

from tickets.models import Comment, TicketQuerySet

pytestmark = pytest.mark.django_db


def test_a_change_cut_off_by_the_database_answers_503_and_leaves_nothing_half_saved(
    staff_client, ticket
):
    staff_client.raise_request_exception = False
    with mock.patch.object(
        TicketQuerySet, "update", side_effect=OperationalError("terminating connection")
    ):
        response = staff_client.post(
            reverse("tickets:comment", args=[ticket.pk]), {"body": "On it."}
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The helpdesk is briefly unavailable" in response.content.decode()
    assert not Comment.objects.exists()  # the reply was written, then rolled back with the rest


def test_the_503_page_renders_without_any_context():
    html = get_template("503.html").render({"retry_after": 10})

    assert "try again in 10 seconds" in " ".join(html.split())
