"""Reply addresses and Message-IDs name their ticket with a token only this site can make.

Inbound mail is matched to a ticket by these functions alone, so whatever they accept joins a
conversation: a guessed, altered or borrowed token must give ``None``, and a key rotation must
keep the replies to mail sent before it working.
"""

import re

import pytest

from mail.threading import (
    message_id,
    reply_address,
    thread_root,
    ticket_id_from_address,
    ticket_id_from_message_id,
)

TOKEN = r"[a-z2-7]{20}"


@pytest.fixture(autouse=True)
def _support_mailbox(settings):
    settings.SUPPORT_EMAIL = "Helpdesk <support@example.com>"
    settings.SECRET_KEY = "k" * 50
    settings.SECRET_KEY_FALLBACKS = []


def test_a_reply_address_is_the_support_mailbox_tagged_with_the_ticket_and_a_token():
    address = reply_address(42)

    assert re.fullmatch(rf"support\+t42\.{TOKEN}@example\.com", address)
    assert ticket_id_from_address(address) == 42


def test_a_reply_address_is_recognised_with_a_display_name_and_in_any_case():
    address = reply_address(42)

    assert ticket_id_from_address(f'"Helpdesk" <{address}>') == 42
    assert ticket_id_from_address(address.upper()) == 42


def test_a_message_id_carries_the_ticket_its_token_and_a_hash_of_the_event():
    value = message_id(42, "ticket-42-comment-7")

    assert re.fullmatch(rf"<t42\.{TOKEN}\.[0-9a-f]{{16}}@example\.com>", value)
    assert ticket_id_from_message_id(value) == 42
    assert ticket_id_from_message_id(value.strip("<>")) == 42


def test_message_ids_are_fixed_per_event_and_differ_between_events():
    assert message_id(42, "ticket-42-comment-7") == message_id(42, "ticket-42-comment-7")
    assert message_id(42, "ticket-42-comment-7") != message_id(42, "ticket-42-comment-8")
    assert thread_root(42) == message_id(42, "ticket")


def test_another_tickets_token_is_refused():
    address_41 = reply_address(41)
    token_41 = address_41.split(".")[1].split("@")[0]

    assert ticket_id_from_address(f"support+t42.{token_41}@example.com") is None
    assert ticket_id_from_message_id(message_id(41, "ticket").replace("<t41.", "<t42.")) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("a" if token[-1] != "a" else "b"),  # one character changed
        lambda token: token[:-1],  # one character short
        lambda token: token + "a",  # one character more
        lambda token: "a" * len(token),  # a guess
        lambda token: "",
    ],
    ids=["changed", "short", "long", "guessed", "missing"],
)
def test_a_tampered_token_is_refused(tamper):
    token = reply_address(42).split(".")[1].split("@")[0]

    assert ticket_id_from_address(f"support+t42.{tamper(token)}@example.com") is None
    assert ticket_id_from_message_id(f"<t42.{tamper(token)}.0123456789abcdef@example.com>") is None


def test_a_token_made_with_another_key_is_refused(settings):
    settings.SECRET_KEY = "another key " * 5
    forged_address, forged_id = reply_address(42), message_id(42, "ticket")
    settings.SECRET_KEY = "k" * 50

    assert ticket_id_from_address(forged_address) is None
    assert ticket_id_from_message_id(forged_id) is None


def test_a_key_rotation_keeps_earlier_addresses_working_through_the_fallbacks(settings):
    old_address, old_id = reply_address(42), message_id(42, "ticket")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "new key " * 8, ["k" * 50]

    assert ticket_id_from_address(old_address) == 42
    assert ticket_id_from_message_id(old_id) == 42
    assert reply_address(42) != old_address  # new mail is signed with the new key
    assert ticket_id_from_address(reply_address(42)) == 42


@pytest.mark.parametrize(
    "address",
    [
        "support@example.com",  # untagged: a new conversation
        "other+t42.{token}@example.com",  # another mailbox
        "support+t42.{token}@example.org",  # another domain
        "support+t042.{token}@example.com",  # a leading zero
        "support+t99999999999999999999.{token}@example.com",  # past any database id
        "not an address",
        "",
    ],
)
def test_addresses_that_are_not_a_tagged_support_address_name_no_ticket(address):
    token = reply_address(42).split(".")[1].split("@")[0]

    assert ticket_id_from_address(address.format(token=token)) is None


@pytest.mark.parametrize(
    "value",
    [
        "<ticket-42-comment-7.0123456789abcdef@example.com>",  # the format before tokens
        "<CAF=abc@mail.gmail.com>",  # the customer's own client
        "<t42.{token}@example.com>",  # no event hash
        "<t42.{token}.0123456789abcdef@example.com> <t43.{token}.0123456789abcdef@x>",
        "",
    ],
)
def test_message_ids_not_written_by_the_help_desk_name_no_ticket(value):
    token = reply_address(42).split(".")[1].split("@")[0]

    assert ticket_id_from_message_id(value.format(token=token)) is None
