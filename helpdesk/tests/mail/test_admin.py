"""The outbox in the admin: readable by superusers, never editable; the queue's results too."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from config.admin import CheckedChangeList
from mail.models import EmailStatus
from mail.tasks import deliver_email
from tests.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db


def test_the_outbox_lists_emails_filtered_by_status(superuser_client):
    OutboundEmailFactory.create(event_key="ticket-1-change-1", status=EmailStatus.PENDING)
    OutboundEmailFactory.create(event_key="ticket-2-change-2", status=EmailStatus.FAILED)

    response = superuser_client.get(
        reverse("admin:mail_outboundemail_changelist"), {"status__exact": "failed"}
    )

    assert response.status_code == 200
    assert isinstance(response.context["cl"], CheckedChangeList)
    assert [email.event_key for email in response.context["cl"].result_list] == [
        "ticket-2-change-2"
    ]


def test_an_email_is_shown_read_only(superuser_client):
    email = OutboundEmailFactory.create(last_error="ConnectionRefusedError: [Errno 111]")
    url = reverse("admin:mail_outboundemail_change", args=[email.pk])

    page = superuser_client.get(url)
    post = superuser_client.post(url, {"status": EmailStatus.SENT})

    assert page.status_code == 200
    assert "ConnectionRefusedError" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert post.status_code == 403
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING


def test_nobody_adds_or_deletes_outbox_emails(superuser_client):
    email = OutboundEmailFactory.create()

    assert superuser_client.get(reverse("admin:mail_outboundemail_add")).status_code == 403
    delete = reverse("admin:mail_outboundemail_delete", args=[email.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403


def test_task_results_are_listed_with_checked_lookups(superuser_client, database_tasks):
    deliver_email.enqueue(email_id=1)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")

    listed = superuser_client.get(url)
    nul = superuser_client.get(url, {"status__exact": "READY\x00"})

    assert listed.status_code == 200
    assert isinstance(listed.context["cl"], CheckedChangeList)
    assert len(listed.context["cl"].result_list) == DBTaskResult.objects.count() == 1
    assert nul.status_code == 302
    assert nul["Location"].endswith("?e=1")
