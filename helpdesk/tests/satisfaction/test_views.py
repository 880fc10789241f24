"""The page a rating link opens: GET confirms, only POST records; every bad link a friendly 404."""

import re

import pytest
from django.core import signing
from django.test import Client

from satisfaction import services, tokens
from satisfaction.models import Rating, Score
from satisfaction.services import rating_links
from tests.factories import TicketFactory
from tickets import services as ticket_services
from tickets.models import Status

from .links import csrf_token_of, path_of, token_of
from .people import staff_member

pytestmark = pytest.mark.django_db


def _checked(response) -> list[str]:
    """The values of the checked radio buttons on a page."""
    return re.findall(r'<input[^>]*value="(\w+)"[^>]*checked', response.content.decode())


def test_opening_the_link_records_nothing(client, links):
    """A mail scanner fetches every link in an e-mail: that must not be a vote."""
    for url in links.values():
        response = client.get(path_of(url))
        assert response.status_code == 200
    client.head(path_of(links["good"]))

    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [Score.GOOD, Score.BAD])
def test_the_link_preselects_its_choice(client, links, score):
    response = client.get(path_of(links[score]))

    assert _checked(response) == [score]
    assert "How did we do?" in response.content.decode()
    assert 'for="id_comment"' in response.content.decode()


@pytest.mark.parametrize("query", ["", "?score=meh", "?score=", "?score=GOOD"])
def test_a_link_without_a_known_choice_preselects_nothing(client, links, query):
    response = client.get(f"/rate/{token_of(links['good'])}/{query}")

    assert response.status_code == 200
    assert _checked(response) == []


def test_the_page_needs_no_login_and_names_the_ticket(client, links, resolved_ticket):
    content = client.get(path_of(links["good"])).content.decode()

    assert f"#{resolved_ticket.pk}" in content
    assert "Printer on fire" in content
    assert "<title>Rate ticket" in content


def test_the_page_costs_one_query(client, links, django_assert_num_queries):
    with django_assert_num_queries(1):  # the ticket with its rating, in one join
        client.get(path_of(links["good"]))


def test_sending_the_form_records_the_rating_and_thanks(client, links, resolved_ticket, user):
    url = path_of(links["bad"])

    response = client.post(url, {"score": "bad", "comment": "Took a week."}, follow=True)

    rating = Rating.objects.get()
    assert (rating.ticket, rating.score, rating.comment, rating.rated_by) == (
        resolved_ticket,
        Score.BAD,
        "Took a week.",
        user,
    )
    assert response.redirect_chain == [(url.split("?")[0], 302)]
    content = response.content.decode()
    assert "Thank you: your rating is recorded." in content
    assert "already rated" in content


def test_the_posted_choice_wins_over_the_links(client, links):
    client.post(path_of(links["bad"]), {"score": "good"})

    assert Rating.objects.get().score == Score.GOOD


def test_a_second_submit_says_already_rated_and_records_nothing(client, links):
    client.post(path_of(links["good"]), {"score": "good"})

    response = client.post(path_of(links["bad"]), {"score": "bad", "comment": "Second try."})

    assert response.status_code == 200
    assert "already rated" in response.content.decode()
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (Score.GOOD, "")


def test_the_link_after_rating_says_already_rated_without_a_form(client, links):
    client.post(path_of(links["good"]), {"score": "good"})

    response = client.get(path_of(links["bad"]))

    assert response.status_code == 200
    assert "already rated" in response.content.decode()
    assert '<form method="post" novalidate>' not in response.content.decode()


def test_a_comment_of_2001_characters_is_an_error_beside_it_and_nothing_is_saved(client, links):
    response = client.post(path_of(links["good"]), {"score": "good", "comment": "x" * 2001})

    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_comment_error"' in content
    assert "at most 2000 characters" in content
    assert not Rating.objects.exists()


def test_a_comment_of_2000_characters_is_kept(client, links):
    client.post(path_of(links["good"]), {"score": "good", "comment": "x" * 2000})

    assert len(Rating.objects.get().comment) == 2000


@pytest.mark.parametrize("score", ["", "meh", "GOOD"])
def test_a_missing_or_unknown_choice_is_an_error_beside_it(client, links, score):
    response = client.post(path_of(links["good"]), {"score": score})

    assert response.status_code == 400
    assert 'id="id_score_error"' in response.content.decode()
    assert "Choose good or bad." in response.content.decode()
    assert not Rating.objects.exists()


def test_a_crafted_post_cannot_rate_someone_elses_ticket(
    client, links, resolved_ticket, other_user
):
    """The ticket and the rater come from the signed token only, never from the form."""
    theirs = TicketFactory.create(creator=other_user, status=Status.RESOLVED)

    client.post(
        path_of(links["good"]),
        {"score": "bad", "ticket": theirs.pk, "ticket_id": theirs.pk, "rated_by": other_user.pk},
    )

    rating = Rating.objects.get()
    assert (rating.ticket, rating.rated_by) == (resolved_ticket, resolved_ticket.creator)


def test_a_token_for_one_ticket_cannot_be_rewritten_for_another(client, links, other_user):
    theirs = TicketFactory.create(creator=other_user, status=Status.RESOLVED)
    token = token_of(links["good"])
    _, timestamp, signature = token.rsplit(":", 2)
    forged_payload = signing.b64_encode(f"[{theirs.pk},0]".encode()).decode()

    response = client.post(f"/rate/{forged_payload}:{timestamp}:{signature}/", {"score": "bad"})

    assert response.status_code == 404
    assert not Rating.objects.exists()


def _assert_dead(response, heading: str) -> None:
    assert response.status_code == 404
    assert heading in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_a_friendly_404(client, links, method):
    token = token_of(links["good"])
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = getattr(client, method)(f"/rate/{tampered}/", {"score": "good"})

    _assert_dead(response, "This rating link is not valid")


@pytest.mark.parametrize("token", ["x", "x" * 5000, "%00", "..", "W10:1vY:abc", "1e309", "\u0663"])
def test_a_malformed_or_huge_link_is_a_friendly_404(client, token):
    _assert_dead(client.post(f"/rate/{token}/", {"score": "good"}), "not valid")


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_a_friendly_404(client, resolved_ticket, monkeypatch, method):
    start = 1_800_000_000
    monkeypatch.setattr("django.core.signing.time.time", lambda: start)
    token = tokens.make_token(resolved_ticket)
    monkeypatch.setattr("django.core.signing.time.time", lambda: start + 30 * 24 * 60 * 60 + 1)

    response = getattr(client, method)(f"/rate/{token}/", {"score": "good"})

    _assert_dead(response, "This rating link has expired")
    assert "work for 30 days" in response.content.decode()


def test_a_link_on_its_last_second_still_records(client, resolved_ticket, monkeypatch):
    start = 1_800_000_000
    monkeypatch.setattr("django.core.signing.time.time", lambda: start)
    token = tokens.make_token(resolved_ticket)
    monkeypatch.setattr("django.core.signing.time.time", lambda: start + 30 * 24 * 60 * 60)

    assert client.post(f"/rate/{token}/", {"score": "good"}).status_code == 302
    assert Rating.objects.filter(ticket=resolved_ticket).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_from_before_a_reopening_is_a_friendly_404(client, links, resolved_ticket, method):
    staff = staff_member()
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff, status=Status.OPEN)
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff, status=Status.RESOLVED)

    response = getattr(client, method)(path_of(links["good"]), {"score": "good"})

    _assert_dead(response, "This ticket was reopened")


def test_a_reopening_while_the_form_is_sent_wins_and_nothing_is_recorded(
    client, links, resolved_ticket, monkeypatch
):
    """Staff reopen the ticket between the link being checked and the rating being written:
    the rating, written under the ticket's lock, sees the reopening and is refused."""
    open_link = services.open_link

    def open_then_reopen(token):
        link = open_link(token)
        ticket_services.update_ticket(
            ticket=resolved_ticket, actor=staff_member(), status=Status.OPEN
        )
        return link

    monkeypatch.setattr(services, "open_link", open_then_reopen)

    _assert_dead(client.post(path_of(links["good"]), {"score": "good"}), "This ticket was reopened")


def test_a_ticket_that_is_not_resolved_cannot_be_rated(client, user):
    """Even with a correctly signed token: no resolution, nothing to rate."""
    ticket = TicketFactory.create(creator=user, status=Status.OPEN)
    token = signing.dumps([ticket.pk, 0], salt=tokens.SALT)

    _assert_dead(client.post(f"/rate/{token}/", {"score": "good"}), "This ticket was reopened")


def test_a_reopened_ticket_cannot_be_rated_with_its_old_link(client, links, resolved_ticket):
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff_member(), status=Status.OPEN)

    _assert_dead(client.post(path_of(links["good"]), {"score": "good"}), "reopened")


def test_the_form_is_csrf_protected_and_works_for_a_logged_out_visitor(links):
    browser = Client(enforce_csrf_checks=True)
    url = path_of(links["good"])

    assert browser.post(url, {"score": "good"}).status_code == 403
    assert not Rating.objects.exists()

    page = browser.get(url).content.decode()
    response = browser.post(url, {"score": "good", "csrfmiddlewaretoken": csrf_token_of(page)})

    assert response.status_code == 302
    assert Rating.objects.get().score == Score.GOOD


def test_a_logged_in_customer_may_rate_their_ticket_from_the_link(user_client, links, user):
    user_client.post(path_of(links["good"]), {"score": "good"})

    assert Rating.objects.get().rated_by == user


def test_more_than_30_submits_an_hour_from_one_address_are_refused(client, user):
    tickets_ = TicketFactory.create_batch(31, creator=user, status=Status.RESOLVED)
    for ticket in tickets_[:30]:
        response = client.post(f"/rate/{tokens.make_token(ticket)}/", {"score": "good"})
        assert response.status_code == 302

    response = client.post(f"/rate/{tokens.make_token(tickets_[30])}/", {"score": "good"})

    assert response.status_code == 429
    assert "Too many ratings" in response.content.decode()
    assert Rating.objects.count() == 30


def test_the_page_is_never_cached(client, links):
    response = client.get(path_of(links["good"]))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_ticket_resolved_again_after_a_rating_can_be_rated_again(client, links, resolved_ticket):
    client.post(path_of(links["good"]), {"score": "bad"})
    staff = staff_member()
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff, status=Status.OPEN)
    ticket_services.update_ticket(ticket=resolved_ticket, actor=staff, status=Status.RESOLVED)

    client.post(path_of(rating_links(resolved_ticket)["good"]), {"score": "good"})

    assert Rating.objects.get().score == Score.GOOD
