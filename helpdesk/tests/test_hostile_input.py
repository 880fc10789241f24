"""No URL, query parameter, form field or header of the helpdesk answers with a server error.

``shared.hostile_input`` walks every URL pattern (the admin's changelists, filters and date
hierarchies included) as each kind of visitor, with integers past 64 bits, numbers Python reads
but a database does not, NUL bytes, long strings and impossible dates. It posts every form of a
page without path parameters; the forms of one real ticket's page (and its admin change form)
are posted here the same way.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from shared.factories import StaffUserFactory, SuperuserFactory, UserFactory
from shared.hostile_input import (
    HOSTILE_VALUES,
    admin_change_paths,
    client_for,
    find_server_errors,
    find_server_errors_in_forms,
)

from attachments.models import Attachment
from tests.factories import CommentFactory, TicketFactory
from tickets.models import Status

# Walks of every URL take seconds each: they run first (shared.pytest_plugin), so the workers
# finish together.
pytestmark = [pytest.mark.django_db, pytest.mark.long_running]

#: The dashboard's query names (README, "Pages and endpoints"); the walker adds its common ones.
DASHBOARD_QUERIES = ("q", "status", "priority", "assignee", "sort", "page")
#: The walk of every URL is split in this many pieces, which pytest-xdist runs side by side.
SHARDS = 4


def _visitor(role: str):
    if role == "anonymous":
        return None
    factory = {"customer": UserFactory, "staff": StaffUserFactory, "superuser": SuperuserFactory}
    return factory[role].create()


@pytest.fixture(autouse=True)
def _tickets():
    """Enough tickets for two dashboard pages, in every status, with history and replies."""
    for number in range(30):
        ticket = TicketFactory.create(status=Status.values[number % 3])
        CommentFactory.create(ticket=ticket)


@pytest.mark.parametrize("shard", range(SHARDS))
# The superuser's walks (the admin's pages) are the longest: handed out first.
@pytest.mark.parametrize("role", ["superuser", "staff", "customer", "anonymous"])
def test_no_page_answers_hostile_input_with_a_server_error(role, shard):
    client = client_for(_visitor(role))

    assert find_server_errors(client, query_names=DASHBOARD_QUERIES, shard=(shard, SHARDS)) == []


@pytest.mark.parametrize("role", ["customer", "staff", "superuser"])
def test_the_forms_of_a_ticket_page_answer_hostile_input_without_a_server_error(role):
    """The walker posts the forms of pages without path parameters; these need a real ticket."""
    visitor = _visitor(role)
    ticket = TicketFactory.create(**({"creator": visitor} if role == "customer" else {}))
    client = client_for(visitor)
    actions = {
        f"/tickets/{ticket.pk}/comments/": ("body", "is_internal"),
        f"/tickets/{ticket.pk}/status/": ("status", "next"),
        f"/tickets/{ticket.pk}/priority/": ("priority",),
        f"/tickets/{ticket.pk}/assign/": ("assignee", "next"),
        f"/admin/tickets/ticket/{ticket.pk}/change/": (
            "title",
            "description",
            "status",
            "priority",
            "assignee",
        ),
    }

    errors = [
        f"POST {path} {value[:20]!r} -> {response.status_code}"
        for path, fields in actions.items()
        for value in HOSTILE_VALUES
        if (response := client.post(path, dict.fromkeys(fields, value))).status_code >= 500
    ]

    assert errors == []


def test_the_admin_change_form_of_every_model_answers_hostile_input_without_a_server_error():
    """One row of every model the admin lists (the demo data has them all), each change form
    posted with hostile values in every field: its inlines' row counts and row ids included."""
    call_command("load_demo_data", stdout=StringIO())
    client = client_for(SuperuserFactory.create())

    with_files = Attachment.objects.latest("pk").ticket

    assert find_server_errors_in_forms(client, admin_change_paths(also=[with_files])) == []
