"""Recording a rating once, and reopening clearing it, in the transaction that reopens."""

from datetime import timedelta

import pytest
from django.utils import timezone
from shared.concurrency import all_at_once

from satisfaction import services
from satisfaction.models import Rating, Score
from satisfaction.services import StaleLink
from tests.factories import TicketFactory
from tickets import reopening
from tickets import services as ticket_services
from tickets.models import Status

from .links import token_of
from .people import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(links):
    return services.open_link(token_of(links["good"]))


def test_a_submit_records_the_creators_rating(link, resolved_ticket, user):
    recorded = services.record_rating(link=link, score=Score.BAD, comment="Slow answer.")

    assert recorded.created
    rating = Rating.objects.get()
    assert (rating.ticket, rating.score, rating.comment, rating.rated_by) == (
        resolved_ticket,
        Score.BAD,
        "Slow answer.",
        user,
    )


def test_a_second_submit_of_an_opened_link_records_nothing(link):
    """Two tabs opened before either was sent: the database's key stops the second."""
    first = services.record_rating(link=link, score=Score.GOOD)
    second = services.record_rating(link=link, score=Score.BAD, comment="Changed my mind.")

    assert (first.created, second.created) == (True, False)
    assert second.rating == first.rating
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (Score.GOOD, "")


def test_an_opened_link_shows_the_rating_already_given(link, links):
    services.record_rating(link=link, score=Score.GOOD)

    assert services.open_link(token_of(links["bad"])).rating == Rating.objects.get()


def test_a_score_other_than_good_or_bad_is_refused_before_the_database(link):
    with pytest.raises(ValueError, match="not a rating"):
        services.record_rating(link=link, score="meh")
    assert not Rating.objects.exists()


def test_a_comment_over_2000_characters_is_refused_before_the_database(link):
    with pytest.raises(ValueError, match="2000"):
        services.record_rating(link=link, score=Score.GOOD, comment="x" * 2001)
    assert not Rating.objects.exists()


def test_a_link_opened_before_a_reopening_cannot_be_submitted_after_it(link, resolved_ticket):
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff_member(), status=Status.OPEN)

    with pytest.raises(StaleLink):
        services.record_rating(link=link, score=Score.GOOD)
    assert not Rating.objects.exists()


def test_a_link_of_a_deleted_ticket_rates_nothing(links, resolved_ticket):
    resolved_ticket.delete()

    with pytest.raises(StaleLink):
        services.open_link(token_of(links["good"]))


def test_a_link_from_before_a_reopening_is_dead_after_the_next_resolution(links, resolved_ticket):
    staff = staff_member()
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff, status=Status.OPEN)
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff, status=Status.RESOLVED)

    with pytest.raises(StaleLink):
        services.open_link(token_of(links["good"]))
    assert services.open_link(token_of(services.rating_links(resolved_ticket)["good"]))


def test_staff_reopening_a_ticket_clears_its_rating(link, resolved_ticket):
    services.record_rating(link=link, score=Score.BAD)

    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff_member(), status=Status.OPEN)

    assert not Rating.objects.exists()


def test_other_staff_changes_keep_the_rating(link, resolved_ticket):
    services.record_rating(link=link, score=Score.GOOD)

    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff_member(), priority="urgent")

    assert Rating.objects.filter(ticket=resolved_ticket).exists()


def test_a_refused_staff_change_keeps_the_rating(link, resolved_ticket):
    """The rating is deleted in the status change's transaction: rolled back with it."""
    services.record_rating(link=link, score=Score.GOOD)
    customer = TicketFactory.create().creator

    with pytest.raises(Exception, match="active staff"):
        ticket_services.update_ticket(
            ticket=resolved_ticket,
            actor=staff_member(),
            status=Status.OPEN,
            assignee=customer,
        )

    assert Rating.objects.filter(ticket=resolved_ticket).exists()


def test_a_customer_reply_that_reopens_the_ticket_clears_its_rating(link, resolved_ticket, user):
    services.record_rating(link=link, score=Score.GOOD)

    landed = reopening.reply(ticket=resolved_ticket, author=user, body="It is back.")

    assert landed.reopened
    assert not Rating.objects.exists()


def test_a_late_reply_that_opens_a_new_ticket_keeps_the_old_rating(link, resolved_ticket, user):
    services.record_rating(link=link, score=Score.GOOD)

    landed = reopening.reply(
        ticket=resolved_ticket,
        author=user,
        body="Something else.",
        now=timezone.now() + timedelta(days=15),
    )

    assert landed.followed_up
    assert Rating.objects.filter(ticket=resolved_ticket).exists()


def test_staff_replies_keep_the_rating(link, resolved_ticket):
    services.record_rating(link=link, score=Score.GOOD)

    reopening.reply(ticket=resolved_ticket, author=staff_member(), body="Glad to help.")

    assert Rating.objects.filter(ticket=resolved_ticket).exists()


def test_clearing_a_ticket_without_a_rating_is_harmless(resolved_ticket):
    assert services.clear_rating(resolved_ticket) is False


def test_the_rating_is_shown_to_staff_and_the_creator_only(link, resolved_ticket, user, other_user):
    services.record_rating(link=link, score=Score.GOOD)
    resolved_ticket.refresh_from_db()

    assert services.visible_rating(resolved_ticket, user) == Rating.objects.get()
    assert services.visible_rating(resolved_ticket, staff_member()) is not None
    assert services.visible_rating(resolved_ticket, other_user) is None


@pytest.mark.django_db(transaction=True)
def test_eight_submits_at_once_record_one_rating(user):
    """Eight tabs posting the same link at the same instant, each on its own connection: the
    ticket's row lock and the one-to-one key leave one row, and the others are told so."""
    ticket = TicketFactory.create(creator=user, status=Status.RESOLVED)
    link = services.open_link(token_of(services.rating_links(ticket)["good"]))

    outcomes = all_at_once(
        8, lambda index: services.record_rating(link=link, score=Score.GOOD, comment=str(index))
    )

    assert [type(outcome) for outcome in outcomes] == [services.Recorded] * 8
    assert (
        sum(outcome.created for outcome in outcomes if isinstance(outcome, services.Recorded)) == 1
    )
    assert Rating.objects.count() == 1
