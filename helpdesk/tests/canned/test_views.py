"""The saved-reply pages: staff only, each action confirmed by a message, bad input an error."""

import pytest
from django.contrib.messages import get_messages
from shared.factories import StaffUserFactory

from canned.models import CannedReply

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/?next="
ROLES = ("anonymous", "customer", "staff")

# (method, path, data, expected status as anonymous / customer / staff)
MATRIX = [
    ("get", "/canned/", None, (302, 403, 200)),
    ("get", "/canned/new/", None, (302, 403, 200)),
    ("post", "/canned/new/", {"title": "New one", "body": "Hi"}, (302, 403, 302)),
    ("get", "/canned/{pk}/edit/", None, (302, 403, 200)),
    ("post", "/canned/{pk}/edit/", {"title": "Renamed", "body": "Hi"}, (302, 403, 302)),
    ("get", "/canned/{pk}/delete/", None, (302, 403, 200)),
    ("post", "/canned/{pk}/delete/", {}, (302, 403, 302)),
    ("get", "/canned/999999/edit/", None, (302, 403, 404)),
    ("get", "/canned/999999/delete/", None, (302, 403, 404)),
    ("post", "/canned/999999/delete/", {}, (302, 403, 404)),
]

CASES = [
    pytest.param(method, path, data, role, expected, id=f"{method} {path} as {role}")
    for method, path, data, expectations in MATRIX
    for role, expected in zip(ROLES, expectations, strict=True)
]


@pytest.fixture
def reply():
    return CannedReply.objects.create(title="Welcome", body="Hello {customer_name}")


def _snapshot():
    return list(CannedReply.objects.values_list("pk", "title", "body"))


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), CASES)
def test_permission_matrix(role_client, reply, method, path, data, role, expected):
    client = role_client({"customer": "creator"}.get(role, role))
    url = path.format(pk=reply.pk)
    before = _snapshot()

    response = getattr(client, method)(url, data)

    assert response.status_code == expected
    if role == "anonymous":
        assert response.url == LOGIN + url
    if role != "staff" or expected == 404 or method == "get":
        assert _snapshot() == before, "a refused request or a GET changed data"


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_staff_create_a_reply_credited_to_them(staff_client, staff_user):
    response = staff_client.post("/canned/new/", {"title": "Welcome", "body": "Hi {customer_name}"})

    assert response.status_code == 302
    assert response.url == "/canned/"
    reply = CannedReply.objects.get()
    assert (reply.title, reply.body, reply.created_by) == (
        "Welcome",
        "Hi {customer_name}",
        staff_user,
    )
    assert _messages(response) == ["Saved reply “Welcome” created."]


def test_editing_keeps_the_author_and_says_so(staff_client, reply):
    author = StaffUserFactory.create()
    reply.created_by = author
    reply.save()

    response = staff_client.post(
        f"/canned/{reply.pk}/edit/", {"title": "Welcome back", "body": "Again"}
    )

    reply.refresh_from_db()
    assert (reply.title, reply.body, reply.created_by) == ("Welcome back", "Again", author)
    assert _messages(response) == ["Saved reply “Welcome back” updated."]


def test_delete_asks_first_and_deletes_only_on_post(staff_client, reply):
    confirmation = staff_client.get(f"/canned/{reply.pk}/delete/")

    assert "Delete saved reply?" in confirmation.text
    assert CannedReply.objects.filter(pk=reply.pk).exists()

    response = staff_client.post(f"/canned/{reply.pk}/delete/")

    assert response.url == "/canned/"
    assert not CannedReply.objects.exists()
    assert _messages(response) == ["Saved reply “Welcome” deleted."]


@pytest.mark.parametrize("title", ["welcome", "WELCOME", "Welcome"])
def test_a_title_taken_in_any_case_is_an_error_beside_the_field(staff_client, reply, title):
    response = staff_client.post("/canned/new/", {"title": title, "body": "Other"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": ["A saved reply with this title already exists."]
    }
    assert 'id="id_title_error"' in response.text
    assert CannedReply.objects.count() == 1


def test_a_reply_may_keep_its_own_title_in_another_case(staff_client, reply):
    staff_client.post(f"/canned/{reply.pk}/edit/", {"title": "WELCOME", "body": "x"})

    reply.refresh_from_db()
    assert reply.title == "WELCOME"


def test_a_race_on_the_title_is_caught_from_the_constraint(staff_client, monkeypatch):
    # Another staff member saves the same title between this form's check and its save: the
    # database's unique index refuses, and the user sees the same field error, nothing saved.
    from canned.forms import CannedReplyForm

    save = CannedReplyForm.save

    def save_after_a_rival(form, *args, **kwargs):
        CannedReply.objects.create(title="WELCOME", body="The rival's")
        return save(form, *args, **kwargs)

    monkeypatch.setattr(CannedReplyForm, "save", save_after_a_rival)

    response = staff_client.post("/canned/new/", {"title": "Welcome", "body": "Mine"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": ["A saved reply with this title already exists."]
    }
    assert list(CannedReply.objects.values_list("body", flat=True)) == ["The rival's"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "body": "x"}, "title"),
        ({"title": "Two\nlines", "body": "x"}, "title"),
        ({"title": "x" * 121, "body": "x"}, "title"),
        ({"title": "Fine", "body": ""}, "body"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(staff_client, data, field):
    response = staff_client.post("/canned/new/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CannedReply.objects.exists()


def test_the_list_is_paginated_by_twenty_in_title_order(staff_client):
    CannedReply.objects.bulk_create(
        CannedReply(title=f"Reply {n:02d}", body="x") for n in range(25)
    )

    first = staff_client.get("/canned/")
    last = staff_client.get("/canned/?page=2")

    assert [r.title for r in first.context["replies"]] == [f"Reply {n:02d}" for n in range(20)]
    assert [r.title for r in last.context["replies"]] == [f"Reply {n:02d}" for n in range(20, 25)]
    assert "Page 1 of 2 · 25 saved replies" in first.text


def test_the_list_costs_the_same_queries_for_any_number_of_replies(
    staff_client, django_assert_max_num_queries
):
    CannedReply.objects.bulk_create(CannedReply(title=f"R{n}", body="x") for n in range(20))

    # Session, user, count, page.
    with django_assert_max_num_queries(4):
        staff_client.get("/canned/")
