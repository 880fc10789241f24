"""The rating's rules as the database holds them, and the score reports compute."""

import pytest
from django.db import IntegrityError

from satisfaction.models import Rating, Score
from tests.factories import TicketFactory
from tickets.models import Status

pytestmark = pytest.mark.django_db


def _rate(ticket, score=Score.GOOD, comment=""):
    return Rating.objects.create(
        ticket=ticket, score=score, comment=comment, rated_by_id=ticket.creator_id
    )


def _resolved():
    return TicketFactory.create(status=Status.RESOLVED)


def test_a_ticket_has_at_most_one_rating_in_the_database():
    ticket = _resolved()
    _rate(ticket)

    with pytest.raises(IntegrityError):
        _rate(ticket, Score.BAD)


def test_the_database_refuses_a_score_other_than_good_or_bad():
    with pytest.raises(IntegrityError):
        _rate(_resolved(), score="meh")


def test_the_database_refuses_a_comment_of_2001_characters():
    with pytest.raises(IntegrityError):
        _rate(_resolved(), comment="x" * 2001)


def test_the_database_accepts_a_comment_of_2000_characters():
    assert _rate(_resolved(), comment="x" * 2000).comment == "x" * 2000


def test_the_database_dates_the_rating():
    rating = _rate(_resolved())
    rating.refresh_from_db()

    assert rating.created_at is not None


def test_deleting_the_ticket_deletes_its_rating():
    ticket = _resolved()
    _rate(ticket)
    ticket.delete()

    assert not Rating.objects.exists()


def test_the_score_is_the_share_of_good_ratings_in_one_query(django_assert_num_queries):
    for score in (Score.GOOD, Score.GOOD, Score.BAD):
        _rate(_resolved(), score)

    with django_assert_num_queries(1):
        assert Rating.objects.score() == pytest.approx(2 / 3)


def test_the_score_follows_a_filter():
    _rate(_resolved(), Score.BAD)
    _rate(_resolved(), Score.GOOD)

    assert Rating.objects.filter(score=Score.BAD).score() == 0.0


def test_there_is_no_score_without_ratings():
    assert Rating.objects.score() is None


def test_a_rating_reads_as_its_score_and_ticket():
    ticket = _resolved()

    assert str(_rate(ticket, Score.BAD)) == f"Bad rating of ticket #{ticket.pk}"
