"""factory-boy factories for the helpdesk's own models (users come from shared.factories)."""

import factory
from django.utils import timezone
from shared.factories import StaffUserFactory, UserFactory

from mail.models import OutboundEmail
from tickets.models import Comment, Priority, Status, Ticket


class TicketFactory(factory.django.DjangoModelFactory[Ticket]):
    class Meta:
        model = Ticket

    title = factory.Sequence(lambda n: f"Ticket number {n}")
    description = factory.Faker("paragraph")
    creator = factory.SubFactory(UserFactory)
    status = Status.OPEN
    priority = Priority.NORMAL
    # The database insists: resolved_at is set exactly when the ticket is resolved.
    resolved_at = factory.Maybe(
        factory.LazyAttribute(lambda ticket: ticket.status == Status.RESOLVED),
        yes_declaration=factory.LazyFunction(timezone.now),
        no_declaration=None,
    )


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    ticket = factory.SubFactory(TicketFactory)
    author = factory.LazyAttribute(lambda comment: comment.ticket.creator)
    body = factory.Faker("sentence")
    is_internal = False


class InternalNoteFactory(CommentFactory):
    # A different declaration from CommentFactory's on purpose: a note's author is staff.
    author = factory.SubFactory(StaffUserFactory)  # type: ignore[assignment]
    is_internal = True


class OutboundEmailFactory(factory.django.DjangoModelFactory[OutboundEmail]):
    """A pending outbox e-mail, due now, as ``mail.services.queue_email`` writes one."""

    class Meta:
        model = OutboundEmail

    event_key = factory.Sequence(lambda n: f"ticket-{n}-comment-{n}")
    recipient = factory.Sequence(lambda n: f"customer{n}@example.com")
    subject = factory.Sequence(lambda n: f"[#{n}] Printer on fire: new reply")
    body = "A technician is on the way."
    message_id = factory.LazyAttribute(lambda email: f"<1.2.3.{email.event_key}@localhost>")
