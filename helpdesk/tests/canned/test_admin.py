"""Saved replies in the admin: credited to whoever added them, as on the staff pages."""

import pytest

from canned.models import CannedReply

pytestmark = pytest.mark.django_db

ADD = "/admin/canned/cannedreply/add/"


def test_a_reply_added_in_the_admin_is_credited_to_the_admin_user(superuser_client, superuser):
    response = superuser_client.post(ADD, {"title": "Password reset", "body": "Use the link."})

    assert response.status_code == 302
    assert CannedReply.objects.get().created_by == superuser


def test_editing_a_reply_in_the_admin_keeps_who_added_it(superuser_client, staff_user):
    reply = CannedReply.objects.create(title="VPN", body="Restart it.", created_by=staff_user)

    response = superuser_client.post(
        f"/admin/canned/cannedreply/{reply.pk}/change/", {"title": "VPN", "body": "Reconnect."}
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.body, reply.created_by) == ("Reconnect.", staff_user)


def test_the_admin_names_a_reply_by_its_title(superuser_client):
    reply = CannedReply.objects.create(title="Password reset", body="Use the link.")

    response = superuser_client.get(f"/admin/canned/cannedreply/{reply.pk}/change/")

    assert "<title>Password reset | Change canned reply" in response.content.decode()
