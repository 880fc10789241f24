import pytest

from attachments.services import attach, check_uploads
from tests.attachments import files
from tests.factories import InternalNoteFactory, TicketFactory


@pytest.fixture
def attach_files():
    """Attach named files (name -> bytes) to a ticket's opening message or to a comment."""

    def attach_files(ticket, named, *, comment=None, by=None):
        uploads = check_uploads([files.upload(name, data) for name, data in named.items()])
        by = by or (comment.author if comment else ticket.creator)
        return attach(ticket=ticket, comment=comment, uploads=uploads, uploaded_by=by)

    return attach_files


@pytest.fixture
def ticket_pdf(user, attach_files):
    """A PDF on the opening message of a ticket of ``user`` (the "creator" role)."""
    ticket = TicketFactory.create(creator=user)
    (pdf,) = attach_files(ticket, {'Rechnung März "final".pdf': files.pdf_bytes()})
    return pdf


@pytest.fixture
def note_file(user, attach_files):
    """A text file on a staff member's internal note, on a ticket of ``user``."""
    note = InternalNoteFactory.create(ticket=TicketFactory.create(creator=user))
    (text,) = attach_files(note.ticket, {"root-cause.txt": b"db failover"}, comment=note)
    return text
