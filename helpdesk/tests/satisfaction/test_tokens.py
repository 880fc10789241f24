"""The rating link's token: signed, bound to one resolution of one ticket, expiring."""

from datetime import timedelta

import pytest
from django.core import signing

from satisfaction import tokens
from satisfaction.tokens import ExpiredLink, InvalidLink, make_token, read_token
from tests.factories import TicketFactory
from tickets.models import Status

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


@pytest.fixture
def clock(monkeypatch):
    """Signing's clock, set by the test: ``clock.now`` seconds since the epoch."""

    class Clock:
        now = 1_800_000_000.0

    monkeypatch.setattr("django.core.signing.time.time", lambda: Clock.now)
    return Clock


def test_a_token_names_the_ticket_and_the_resolution_it_was_made_for(resolved_ticket):
    claim = read_token(make_token(resolved_ticket))

    assert claim.ticket_id == resolved_ticket.pk
    assert claim.resolved_at == resolved_ticket.resolved_at
    assert claim.matches(resolved_ticket)


def test_a_token_for_the_largest_ticket_number_stays_under_the_200_characters_read(
    resolved_ticket,
):
    # The page refuses anything longer than 200 characters before checking a signature; a real
    # token, even for the last ticket an integer column can number, must never be refused.
    resolved_ticket.pk = 2**63 - 1

    assert len(make_token(resolved_ticket)) < 120


def test_an_unresolved_ticket_has_no_token():
    with pytest.raises(ValueError, match="not resolved"):
        make_token(TicketFactory.create(status=Status.OPEN))


def test_a_token_still_works_on_the_last_second_of_its_30_days(resolved_ticket, clock):
    token = make_token(resolved_ticket)
    clock.now += 30 * DAY

    assert read_token(token).ticket_id == resolved_ticket.pk


def test_a_token_one_second_past_30_days_has_expired(resolved_ticket, clock):
    token = make_token(resolved_ticket)
    clock.now += 30 * DAY + 1

    with pytest.raises(ExpiredLink):
        read_token(token)


def test_the_lifetime_is_a_setting(resolved_ticket, clock, settings):
    settings.HELPDESK_RATING_LINK_MAX_AGE_DAYS = 2
    token = make_token(resolved_ticket)
    clock.now += 2 * DAY + 1

    with pytest.raises(ExpiredLink):
        read_token(token)


def test_a_token_from_before_a_reopening_does_not_match_the_next_resolution(resolved_ticket):
    claim = read_token(make_token(resolved_ticket))
    resolved_ticket.resolved_at += timedelta(days=1)  # reopened, then resolved again

    assert not claim.matches(resolved_ticket)


def test_a_token_for_one_ticket_does_not_match_another(resolved_ticket):
    other = TicketFactory.create(status=Status.RESOLVED, resolved_at=resolved_ticket.resolved_at)

    assert not read_token(make_token(resolved_ticket)).matches(other)


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="signature-changed"),
        pytest.param(lambda t: t[:-4], id="signature-cut"),
        pytest.param(lambda t: t[:2] + ("A" if t[2] != "A" else "B") + t[3:], id="payload-changed"),
        pytest.param(lambda t: t.split(":")[0], id="no-signature"),
        pytest.param(lambda t: "", id="empty"),
        pytest.param(lambda t: "not-a-token", id="junk"),
        pytest.param(lambda t: t + ":" + t, id="doubled"),
        pytest.param(lambda t: "x" * 201, id="too-long"),
        pytest.param(lambda t: "x" * 100_000, id="huge"),
    ],
)
def test_a_tampered_or_malformed_token_is_refused(resolved_ticket, mangle):
    with pytest.raises(InvalidLink):
        read_token(mangle(make_token(resolved_ticket)))


def test_a_value_signed_for_another_purpose_is_not_a_rating_token(resolved_ticket):
    forged = signing.dumps([resolved_ticket.pk, 0], salt="helpdesk.password-reset")

    with pytest.raises(InvalidLink):
        read_token(forged)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"ticket": 1}, id="object"),
        pytest.param([1], id="one-item"),
        pytest.param(["1", 2], id="string-id"),
        pytest.param([0, 2], id="zero-id"),
        pytest.param([1, -5], id="negative-time"),
        pytest.param([1, 10**30], id="time-out-of-range"),
    ],
)
def test_a_correctly_signed_payload_of_the_wrong_shape_is_refused(payload):
    with pytest.raises(InvalidLink):
        read_token(signing.dumps(payload, salt=tokens.SALT))


def test_a_token_made_before_a_key_rotation_still_works(resolved_ticket, settings):
    settings.SECRET_KEY = "an-old-key-" + "x" * 50
    token = make_token(resolved_ticket)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-key-" + "y" * 50

    assert read_token(token).ticket_id == resolved_ticket.pk


def test_a_token_made_with_another_key_is_refused(resolved_ticket, settings):
    settings.SECRET_KEY = "someone-elses-key-" + "x" * 50
    token = make_token(resolved_ticket)
    settings.SECRET_KEY = "our-key-" + "y" * 50

    with pytest.raises(InvalidLink):
        read_token(token)
