"""Demo data for a local run: every function is idempotent, so a second load creates nothing.

Tickets are built through ``tickets.services``, the same code path as the pages, so the demo
history and conversation look exactly like real ones; only the e-mails are left out
(``notify=False``): replayed history is news to nobody, and would flood the console.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from attachments.services import attach, check_uploads
from canned.models import CannedReply
from inbound.models import Channel
from inbound.services import receive
from satisfaction import services as satisfaction_services
from satisfaction.models import Rating, Score
from tickets import services
from tickets.models import Priority, Status, Ticket

if TYPE_CHECKING:
    from accounts.models import User

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented in the README, local demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    is_staff: bool = False
    is_superuser: bool = False
    #: Kinds of e-mail turned off on the notifications page (``User.notify_*`` fields).
    emails_off: tuple[str, ...] = ()


DEMO_ACCOUNTS = (
    DemoAccount("admin", is_staff=True, is_superuser=True),
    DemoAccount("agent", is_staff=True),
    DemoAccount("alice"),
    DemoAccount("bob", emails_off=("notify_status_change",)),
    # Her tickets of the last eight weeks feed the reports page (demo/history.py).
    DemoAccount("carol"),
)


def seed_account(account: DemoAccount) -> User:
    """Create the account if it is missing; an existing one keeps its data and password."""
    user, created = get_user_model().objects.get_or_create(
        username=account.username,
        defaults={
            "email": f"{account.username}@example.com",
            "is_staff": account.is_staff,
            "is_superuser": account.is_superuser,
            **dict.fromkeys(account.emails_off, False),
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_accounts() -> dict[str, User]:
    return {account.username: seed_account(account) for account in DEMO_ACCOUNTS}


@dataclass(frozen=True)
class Step:
    """One thing that happens to a demo ticket: a reply, an internal note or an update."""

    kind: str  # "reply", "note" or "update"
    who: str
    body: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoTicket:
    creator: str
    title: str
    description: str
    priority: str
    steps: tuple[Step, ...] = ()


DEMO_TICKETS = (
    DemoTicket(
        "alice",
        "Invoice PDF shows the wrong VAT number",
        "The invoice for March shows our old VAT number. Our accountant needs a corrected copy.",
        Priority.NORMAL,
        (Step("reply", "alice", "I attached nothing, but the number should end in 042."),),
    ),
    DemoTicket(
        "alice",
        "Cannot log in after changing my e-mail",
        "Since I changed my e-mail address yesterday, the login page says my password is wrong.",
        Priority.NORMAL,
        (
            Step("update", "agent", changes={"assignee": "agent", "priority": Priority.HIGH}),
            Step("note", "agent", "Audit log shows two e-mail changes within a minute. Check."),
            Step("reply", "agent", "Could you tell us which browser you use, and the exact time?"),
            Step("update", "agent", changes={"status": Status.PENDING}),
        ),
    ),
    DemoTicket(
        "alice",
        "Export to CSV times out",
        "Exporting last year's orders to CSV fails after about thirty seconds.",
        Priority.URGENT,
        (
            Step("update", "admin", changes={"assignee": "admin"}),
            Step("note", "admin", "Large accounts hit the worker timeout. Moved export to a job."),
            Step("reply", "admin", "Fixed: the export now arrives by e-mail within minutes."),
            Step("update", "admin", changes={"status": Status.RESOLVED}),
            Step("reply", "alice", "It works now, thank you!"),
        ),
    ),
    DemoTicket(
        "bob",
        "Feature request: dark mode",
        "Working late, the white pages are hard on the eyes. A dark theme would be great.",
        Priority.LOW,
    ),
    DemoTicket(
        "bob",
        "Charged twice for my subscription",
        "My card statement shows two charges of 12.00 on the same day.",
        Priority.HIGH,
        (
            Step("update", "agent", changes={"assignee": "agent", "priority": Priority.URGENT}),
            Step("reply", "agent", "Sorry about that! The second charge is refunded."),
            Step("update", "agent", changes={"status": Status.RESOLVED}),
            Step("reply", "bob", "The refund is not on my statement yet, a week later."),
            Step("note", "agent", "Refund stuck at the payment provider; escalated to finance."),
            Step("update", "agent", changes={"status": Status.OPEN}),
        ),
    ),
    DemoTicket(
        "bob",
        "How do I add a team member?",
        "I would like my colleague to see our tickets too. Where do I invite them?",
        Priority.NORMAL,
        (
            Step("update", "admin", changes={"assignee": "admin"}),
            Step("reply", "admin", "Shared accounts are coming soon. Is one shared login ok?"),
            Step("update", "admin", changes={"status": Status.PENDING}),
        ),
    ),
)


def seed_ticket(demo: DemoTicket, people: dict[str, User]) -> Ticket:
    """Create the ticket and play its steps, unless its creator already has it."""
    creator = people[demo.creator]
    existing = Ticket.objects.filter(creator=creator, title=demo.title).first()
    if existing is not None:
        return existing
    ticket = services.open_ticket(
        creator=creator,
        title=demo.title,
        description=demo.description,
        priority=demo.priority,
        notify=False,
    )
    for step in demo.steps:
        who = people[step.who]
        if step.kind == "update":
            changes = dict(step.changes)
            if "assignee" in changes:
                changes["assignee"] = people[changes["assignee"]]
            services.update_ticket(ticket=ticket, actor=who, notify=False, **changes)
        else:
            services.add_comment(
                ticket=ticket,
                author=who,
                body=step.body,
                internal=step.kind == "note",
                notify=False,
            )
    return ticket


def seed_tickets(people: dict[str, User]) -> list[Ticket]:
    return [seed_ticket(demo, people) for demo in DEMO_TICKETS]


def _demo_screenshot() -> bytes:
    """A picture of a login error, drawn here so the demo needs no binary files."""
    image = Image.new("RGB", (640, 400), (244, 246, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 80, 520, 320), fill=(255, 255, 255), outline=(221, 226, 234), width=2)
    draw.text((150, 110), "Log in", fill=(29, 36, 51), font_size=28)
    draw.rectangle((150, 170, 490, 200), outline=(185, 28, 28), width=2)
    draw.text((150, 215), "Your password is wrong.", fill=(185, 28, 28), font_size=18)
    draw.rectangle((150, 260, 290, 295), fill=(29, 78, 216))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _demo_invoice() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def seed_attachments(people: dict[str, User]) -> None:
    """Files on two of the tickets above, through the same checks and storage as the pages:
    a screenshot and an invoice from customers, a log file on a staff member's internal note."""
    login = Ticket.objects.get(creator=people["alice"], title=DEMO_TICKETS[1].title)
    if login.attachments.exists():
        return
    note = login.comments.filter(is_internal=True).first()
    invoice = Ticket.objects.get(creator=people["alice"], title=DEMO_TICKETS[0].title)
    log = b"09:14:02 email changed by alice\n09:14:41 email changed by alice\n"
    for ticket, comment, named in (
        (login, None, {"login-error.png": _demo_screenshot()}),
        (login, note, {"audit-log.txt": log}),
        (invoice, None, {"invoice-2026-03.pdf": _demo_invoice()}),
    ):
        uploads = check_uploads([ContentFile(data, name=name) for name, data in named.items()])
        author = comment.author if comment else ticket.creator
        attach(ticket=ticket, comment=comment, uploads=uploads, uploaded_by=author)


#: A real message as an MTA would pipe it, with a screenshot attached.
DEMO_EMAIL = Path(__file__).resolve().parent / "messages" / "vpn-error-by-email.eml"


def seed_inbound_email() -> Ticket | None:
    """Bob's ticket that arrived by e-mail, made by feeding a real .eml file through the same
    service as ``manage.py receive_email`` (sender matched to his account, text and screenshot
    through the attachment rules). Its Message-ID makes a second load a no-op."""
    receipt = receive(DEMO_EMAIL.read_bytes(), channel=Channel.PIPE, notify=False)
    return receipt.ticket


#: Saved replies for the ticket page's "Insert a saved reply", using both placeholders.
DEMO_CANNED_REPLIES = {
    "Thanks, we are on it": (
        "Hello {customer_name},\n\nThank you for ticket #{ticket_number}. We are looking into it "
        "and will get back to you today.\n\nThe support team"
    ),
    "Need more details": (
        "Hello {customer_name},\n\nTo move ticket #{ticket_number} forward, could you tell us "
        "what you were doing when it happened, and send a screenshot of any error?"
    ),
    "Password reset instructions": (
        "Hello {customer_name},\n\nYou can set a new password yourself: on the login page choose "
        '"Forgot your password?" and follow the link we e-mail you. Reply here if it does not '
        "arrive within a few minutes."
    ),
}


#: Alice's rating of her resolved export ticket, given through its e-mailed link's code path.
DEMO_RATING = (
    "Export to CSV times out",
    Score.GOOD,
    "Fixed the same day, and the export by e-mail is even better than before.",
)


def seed_rating(people: dict[str, User]) -> Rating | None:
    """Alice's rating with a comment, recorded as her link's POST records it (token, checks,
    one row). Carol's ratings over eight weeks, for the reports, are in ``demo.history``."""
    title, score, comment = DEMO_RATING
    ticket = Ticket.objects.filter(creator=people["alice"], title=title).first()
    if ticket is None or ticket.resolved_at is None:
        return None
    good_link = satisfaction_services.rating_links(ticket)[Score.GOOD]
    token = urlsplit(good_link).path.rstrip("/").rsplit("/", 1)[1]
    link = satisfaction_services.open_link(token)
    return satisfaction_services.record_rating(link=link, score=score, comment=comment).rating


def seed_canned_replies(people: dict[str, User]) -> list[CannedReply]:
    """The demo's saved replies, written by the agent; an existing title is left as it is."""
    return [
        CannedReply.objects.get_or_create(
            title=title, defaults={"body": body, "created_by": people["agent"]}
        )[0]
        for title, body in DEMO_CANNED_REPLIES.items()
    ]
