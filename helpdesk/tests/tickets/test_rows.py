"""The table rows built in Python (tickets/templatetags/ticket_rows.py): links and escaping."""

from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import timezone
from shared.factories import UserFactory

from tests.factories import TicketFactory
from tickets.dashboard_tickets import DashboardQuery, DashboardTickets, creator_names
from tickets.templatetags.ticket_rows import _TicketUrls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["tickets:detail", "tickets:status", "tickets:assign"])
@pytest.mark.parametrize("pk", [1, 7, 987654321, 2**62])
def test_a_row_url_is_the_url_reverse_gives(name, pk):
    assert _TicketUrls(name)(pk) == reverse(name, kwargs={"pk": pk})


def test_each_dashboard_row_links_its_ticket_and_posts_to_its_own_actions(staff_client):
    tickets = TicketFactory.create_batch(3)

    html = staff_client.get("/dashboard/").content.decode()

    for ticket in tickets:
        assert f'<a href="{ticket.get_absolute_url()}">' in html
        assert f'formaction="{reverse("tickets:status", args=[ticket.pk])}"' in html
        assert f'formaction="{reverse("tickets:assign", args=[ticket.pk])}"' in html


@pytest.mark.parametrize("page", ["/dashboard/", "/tickets/"])
def test_titles_and_names_in_rows_are_escaped(page, staff_client, user_client, user):
    customer = UserFactory.create(username="o'neil&co")
    TicketFactory.create(creator=user, title='<script>alert("x")</script> & more')
    TicketFactory.create(creator=customer, title="Quotes ' and \"")
    client = staff_client if page == "/dashboard/" else user_client

    html = client.get(page).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
    if page == "/dashboard/":
        assert "Quotes &#x27; and &quot;" in html
        assert "o&#x27;neil&amp;co" in html


@pytest.mark.parametrize(
    ("page", "field", "shown"),
    [("/dashboard/", "updated_at", "j M, H:i"), ("/tickets/", "created_at", "j M Y, H:i")],
)
def test_row_times_read_as_the_templates_date_filter_wrote_them(
    page, field, shown, staff_client, user_client, user, settings
):
    settings.TIME_ZONE = "Europe/Paris"  # not UTC: the site's time zone is applied
    ticket = TicketFactory.create(creator=user)
    moment = getattr(ticket, field)
    client = staff_client if page == "/dashboard/" else user_client

    html = client.get(page).content.decode()

    local = timezone.localtime(moment, ZoneInfo("Europe/Paris"))
    expected = f'<time datetime="{date(local, "c")}">{date(local, shown)}</time>'
    assert expected in html


def test_each_dashboard_row_names_its_own_customer(staff_client):
    alice, bob = UserFactory.create(username="alice"), UserFactory.create(username="bob")
    for_alice, for_bob = TicketFactory.create(creator=alice), TicketFactory.create(creator=bob)

    html = staff_client.get("/dashboard/").content.decode()

    for ticket, name in [(for_alice, "alice"), (for_bob, "bob")]:
        row = html.split(f'<tr><td data-label="#">{ticket.pk}</td>')[1].split("</tr>")[0]
        assert f'<td data-label="Customer">{name}</td>' in row


def test_creator_names_are_read_in_one_query_and_none_for_no_tickets(
    django_assert_num_queries,
):
    tickets = [*TicketFactory.create_batch(3), TicketFactory.create()]
    rows = DashboardTickets(DashboardQuery())[0:25]

    with django_assert_num_queries(1):
        names = creator_names(rows)
    with django_assert_num_queries(0):
        assert creator_names([]) == {}

    assert names == {ticket.creator_id: ticket.creator.username for ticket in tickets}
