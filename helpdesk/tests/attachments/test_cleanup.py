"""Deleting a ticket deletes its files; files no attachment names do not stay either."""

import os
import time
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction

from attachments import cleanup
from attachments.models import OrphanedFile
from attachments.storage import new_name
from tests.attachments import files
from tests.factories import TicketFactory
from tickets.models import Ticket


def stored(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.django_db(transaction=True)
def test_deleting_a_ticket_deletes_its_files_after_the_commit(user, attach_files, attachments_root):
    ticket = TicketFactory.create(creator=user)
    attach_files(ticket, {"a.png": files.image_bytes(), "b.pdf": files.pdf_bytes()})
    assert len(stored(attachments_root)) == 3  # two files and a preview

    ticket.delete()

    assert stored(attachments_root) == []
    assert not OrphanedFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_delete_keeps_the_files(user, attach_files, attachments_root):
    ticket = TicketFactory.create(creator=user)
    attach_files(ticket, {"a.txt": b"keep me"})

    def delete_then_fail():
        with transaction.atomic():
            Ticket.objects.filter(pk=ticket.pk).delete()
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        delete_then_fail()

    assert len(stored(attachments_root)) == 1
    assert not OrphanedFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_storage_outage_does_not_break_the_delete_and_is_retried(
    user, attach_files, attachments_root
):
    ticket = TicketFactory.create(creator=user)
    attach_files(ticket, {"a.txt": b"x"})

    with mock.patch.object(FileSystemStorage, "delete", side_effect=OSError("storage down")):
        ticket.delete()

    assert not Ticket.objects.exists()
    assert OrphanedFile.objects.get().attempts == 1
    assert cleanup.clean_up_files()["deleted"] == 1
    assert stored(attachments_root) == []
    assert not OrphanedFile.objects.exists()


@pytest.mark.django_db
def test_the_sweep_removes_old_files_no_attachment_names_and_nothing_else(
    user, attach_files, attachments_root
):
    (kept,) = attach_files(TicketFactory.create(creator=user), {"kept.txt": b"mine"})
    storage = storages["attachments"]
    stray_old = storage.save(new_name(), ContentFile(b"from a rolled-back ticket"))
    stray_new = storage.save(new_name(), ContentFile(b"a request still saving"))
    two_hours_ago = time.time() - 2 * 3600
    os.utime(attachments_root / stray_old, (two_hours_ago, two_hours_ago))
    os.utime(attachments_root / kept.storage_name, (two_hours_ago, two_hours_ago))

    result = cleanup.sweep_unclaimed_files()

    assert result == {"unclaimed_deleted": 1}
    assert not storage.exists(stray_old)
    assert storage.exists(stray_new)
    assert storage.exists(kept.storage_name)


@pytest.mark.django_db
def test_the_sweep_of_an_empty_storage_does_nothing():
    assert cleanup.sweep_unclaimed_files() == {"unclaimed_deleted": 0}
