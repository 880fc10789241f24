"""render_reply: the fixed placeholders are replaced, everything else comes out as typed."""

import pytest
from shared.factories import UserFactory

from canned.models import CannedReply
from canned.services import choices_for, chosen, render_reply
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    creator = UserFactory.create(username="ada", first_name="Ada", last_name="Lovelace")
    return TicketFactory.create(creator=creator)


def _reply(body: str) -> CannedReply:
    return CannedReply(title="Any", body=body)


def test_both_placeholders_are_replaced_every_time_they_occur(ticket):
    body = "Hello {customer_name}, about #{ticket_number}.\n#{ticket_number}, {customer_name}."

    text = render_reply(_reply(body), ticket)

    assert text == (f"Hello Ada Lovelace, about #{ticket.pk}.\n#{ticket.pk}, Ada Lovelace.")


def test_a_customer_without_a_full_name_is_called_by_username():
    ticket = TicketFactory.create(
        creator=UserFactory.create(username="bob99", first_name="", last_name="")
    )

    assert render_reply(_reply("Hi {customer_name}"), ticket) == "Hi bob99"


@pytest.mark.parametrize(
    "hostile",
    [
        "{{ settings.SECRET_KEY }}",
        "{ticket.creator.password}",
        "{% load static %}{% debug %}",
        "{0.__class__}",
        "{customer_name.__class__}",
        "{ticket_number!r:>10}",
        "${customer_name}x$ticket_number",
        "{}",
        "{",
        "}",
        "{{customer_name}}",
    ],
)
def test_template_and_format_syntax_comes_out_verbatim(ticket, hostile):
    text = render_reply(_reply(f"Dear {{customer_name}}: {hostile}"), ticket)

    # Only the exact placeholder is replaced; "{{customer_name}}" contains it, so its inner
    # "{customer_name}" becomes the name while the outer braces stay.
    expected = hostile.replace("{customer_name}", "Ada Lovelace")
    assert text == f"Dear Ada Lovelace: {expected}"


def test_secrets_and_object_internals_never_leak(ticket, settings):
    body = "{{ settings.SECRET_KEY }} {ticket.creator.password} {% load %} {0.__class__}"

    text = render_reply(_reply(body), ticket)

    assert text == body
    assert settings.SECRET_KEY not in text
    assert ticket.creator.password not in text


def test_text_a_customer_put_in_their_name_is_not_searched_again():
    creator = UserFactory.create(first_name="{ticket_number}", last_name="{customer_name}")
    ticket = TicketFactory.create(creator=creator)

    text = render_reply(_reply("Hi {customer_name} (#{ticket_number})"), ticket)

    assert text == f"Hi {{ticket_number}} {{customer_name}} (#{ticket.pk})"


def test_choices_are_rendered_for_the_ticket_in_title_order(ticket):
    CannedReply.objects.create(title="zebra", body="Z {ticket_number}")
    CannedReply.objects.create(title="Apple", body="A {customer_name}")

    choices = choices_for(ticket)

    assert [(c.title, c.text) for c in choices] == [
        ("Apple", "A Ada Lovelace"),
        ("zebra", f"Z {ticket.pk}"),
    ]


@pytest.mark.parametrize(
    "raw", [None, "", "abc", "1.0", " 1", "٣", "99999999999999999999999", "-1"]
)
def test_an_unknown_or_malformed_choice_is_none(ticket, raw):
    CannedReply.objects.create(title="One", body="1")

    assert chosen(choices_for(ticket), raw) is None


def test_a_choice_is_found_by_its_id(ticket):
    reply = CannedReply.objects.create(title="One", body="1")

    choice = chosen(choices_for(ticket), str(reply.pk))

    assert choice is not None
    assert choice.pk == reply.pk
