"""Every URL x anonymous / creator / other customer / staff: the exact status code.

Forbidden writes must also change nothing: no status, priority, assignee, reply or history row.
"""

import pytest
from django.test import Client

from tests.conftest import ROLES
from tickets.models import Comment, Ticket, TicketChange

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/?next="

# (method, path template, data, expected status as anonymous / creator / other / staff)
MATRIX = [
    ("get", "/", None, (302, 302, 302, 302)),
    ("get", "/tickets/", None, (302, 200, 200, 200)),
    ("get", "/tickets/new/", None, (302, 200, 200, 200)),
    (
        "post",
        "/tickets/new/",
        {"title": "T", "description": "D", "priority": "low"},
        (302, 302, 302, 302),
    ),
    ("get", "/tickets/{pk}/", None, (302, 200, 404, 200)),
    ("post", "/tickets/{pk}/comments/", {"body": "Hello"}, (302, 302, 404, 302)),
    ("post", "/tickets/{pk}/status/", {"status": "resolved"}, (302, 403, 403, 302)),
    ("post", "/tickets/{pk}/priority/", {"priority": "urgent"}, (302, 403, 403, 302)),
    ("post", "/tickets/{pk}/assign/", {"assignee": "{staff_pk}"}, (302, 403, 403, 302)),
    ("get", "/dashboard/", None, (302, 403, 403, 200)),
    # Nothing changes state on GET: the write endpoints refuse it.
    ("get", "/tickets/{pk}/status/", None, (302, 403, 403, 405)),
    ("get", "/tickets/{pk}/priority/", None, (302, 403, 403, 405)),
    ("get", "/tickets/{pk}/assign/", None, (302, 403, 403, 405)),
    ("get", "/tickets/{pk}/comments/", None, (302, 405, 405, 405)),
    ("post", "/tickets/{pk}/", {"status": "resolved"}, (302, 405, 405, 405)),
]

CASES = [
    pytest.param(method, path, data, role, expected, id=f"{method} {path} as {role}")
    for method, path, data, expectations in MATRIX
    for role, expected in zip(ROLES, expectations, strict=True)
]


def _snapshot():
    return (
        list(Ticket.objects.values_list("status", "priority", "assignee_id", "resolved_at")),
        Comment.objects.count(),
        TicketChange.objects.count(),
    )


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_permission_matrix(role_client, ticket, staff_user, method, path, data, role, expected):
    client: Client = role_client(role)
    url = path.format(pk=ticket.pk)
    if data:
        data = {key: value.format(staff_pk=staff_user.pk) for key, value in data.items()}
    before = _snapshot()

    response = getattr(client, method)(url, data)

    assert response.status_code == expected
    if role == "anonymous":
        assert response.url == LOGIN + url
    if (method == "post" and expected in {403, 404, 405}) or role == "anonymous":
        assert _snapshot() == before, "a refused request changed data"


def test_anonymous_login_redirect_keeps_the_page_to_return_to(client, ticket):
    response = client.get(f"/tickets/{ticket.pk}/")

    assert response.url == f"/accounts/login/?next=/tickets/{ticket.pk}/"


def test_forbidden_page_is_the_friendly_403(user_client):
    response = user_client.get("/dashboard/")

    assert response.status_code == 403
    assert b"You can't do that" in response.content


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        ("/admin/tickets/ticket/", "anonymous", 302),
        ("/admin/tickets/ticket/", "creator", 302),
        ("/admin/tickets/ticket/", "staff", 403),  # staff without model permissions
        ("/admin/tickets/ticket/", "superuser", 200),
        ("/admin/tickets/ticket/{pk}/change/", "creator", 302),
        ("/admin/tickets/ticket/{pk}/change/", "superuser", 200),
    ],
)
def test_admin_permissions(request, role_client, ticket, path, role, expected):
    client = request.getfixturevalue("superuser_client") if role == "superuser" else None
    client = client or role_client(role)

    response = client.get(path.format(pk=ticket.pk))

    assert response.status_code == expected
    if expected == 302:
        assert "/login/?next=/admin/" in response.url
