"""The admin changes tickets through the service (history, e-mail) and never edits history."""

import pytest
from django.contrib.admin.sites import site
from django.urls import NoReverseMatch, reverse
from shared.factories import StaffUserFactory, UserFactory

from tests.factories import CommentFactory, TicketFactory
from tests.tickets.admin_forms import phoned_in_ticket
from tickets.admin import CommentInline, TicketAdmin, TicketChangeInline
from tickets.models import Priority, Status, Ticket, TicketChange

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")


def _change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def _form_data(ticket, **overrides):
    data = {
        "title": ticket.title,
        "description": ticket.description,
        "status": ticket.status,
        "priority": ticket.priority,
        "assignee": ticket.assignee_id or "",
        # Empty management forms of the three read-only inlines.
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def _history(ticket):
    return [(c.field, c.old_value, c.new_value, c.actor.username) for c in ticket.history.all()]


def test_ticket_admin_is_configured_for_support_work():
    admin = site._registry[Ticket]

    assert isinstance(admin, TicketAdmin)
    assert admin.list_display == (
        "id",
        "title",
        "creator",
        "status",
        "priority",
        "assignee",
        "updated_at",
    )
    assert "status" in admin.list_filter
    assert {"title", "description"} <= set(admin.search_fields)
    assert admin.list_select_related == ("creator", "assignee")
    assert not admin.list_editable  # would bypass the service


def test_changelist_lists_filters_and_searches(superuser_client):
    TicketFactory.create(title="VPN down", status=Status.PENDING)
    TicketFactory.create(title="Printer")

    filtered = superuser_client.get(CHANGELIST, {"status__exact": "pending"})
    searched = superuser_client.get(CHANGELIST, {"q": "vpn"})

    assert [t.title for t in filtered.context["cl"].result_list] == ["VPN down"]
    assert [t.title for t in searched.context["cl"].result_list] == ["VPN down"]


def test_changelist_query_count_does_not_grow_with_tickets(
    superuser_client, django_assert_max_num_queries
):
    agent = StaffUserFactory.create()
    TicketFactory.create_batch(40, assignee=agent)

    with django_assert_max_num_queries(12):
        superuser_client.get(CHANGELIST)


def test_admin_status_change_is_recorded_and_emailed(
    superuser_client, superuser, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(_change_url(ticket), _form_data(ticket, status="resolved"))

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None
    assert _history(ticket) == [("status", "open", "resolved", superuser.username)]
    assert len(mailoutbox) == 1


def test_admin_edit_of_several_fields_records_each_tracked_one(superuser_client, ticket):
    agent = StaffUserFactory.create(username="agent7")

    superuser_client.post(
        _change_url(ticket),
        _form_data(ticket, title="Renamed", priority="urgent", assignee=agent.pk),
    )

    ticket.refresh_from_db()
    assert ticket.title == "Renamed"
    assert [(field, new) for field, _, new, _ in _history(ticket)] == [
        ("priority", "urgent"),
        ("assignee", "agent7"),
    ]


def _claiming(rows):
    return {
        f"{inline}-{count}": rows
        for inline in ("comments", "attachments", "history")
        for count in ("TOTAL_FORMS", "INITIAL_FORMS")
    }


def _rows_built(response):
    return {
        f.formset.prefix: len(f.formset.forms) for f in response.context["inline_admin_formsets"]
    }


@pytest.mark.parametrize("claimed", ["3", "1000"])
def test_a_crafted_row_count_adds_no_row_to_the_read_only_inlines(
    superuser_client, ticket, claimed
):
    """Each read-only inline has the rows that exist, whatever TOTAL_FORMS claims: a claimed
    attachment row had no file to link to (a 500), and Django would build up to 2,000 forms."""
    CommentFactory.create(ticket=ticket)

    response = superuser_client.post(
        _change_url(ticket), _form_data(ticket, title="Kept", **_claiming(claimed))
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.title == "Kept"
    assert _rows_built(superuser_client.get(_change_url(ticket))) == {
        "comments": 1,
        "attachments": 0,
        "history": ticket.history.count(),
    }


def test_a_row_count_past_any_limit_is_refused_after_building_only_the_rows_that_exist(
    superuser_client, ticket
):
    CommentFactory.create(ticket=ticket)

    response = superuser_client.post(
        _change_url(ticket), _form_data(ticket, title="Not kept", **_claiming(str(2**64)))
    )

    assert response.status_code == 200
    assert _rows_built(response) == {"comments": 1, "attachments": 0, "history": 0}
    ticket.refresh_from_db()
    assert ticket.title != "Not kept"


def test_admin_edit_of_plain_fields_records_no_history(superuser_client, ticket):
    superuser_client.post(_change_url(ticket), _form_data(ticket, description="Clarified."))

    ticket.refresh_from_db()
    assert ticket.description == "Clarified."
    assert not ticket.history.exists()


def test_admin_refuses_a_move_the_workflow_forbids_as_a_form_error(superuser_client):
    ticket = TicketFactory.create(status=Status.RESOLVED)

    response = superuser_client.post(_change_url(ticket), _form_data(ticket, status="pending"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "A resolved ticket cannot become pending."
    ]
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_admin_offers_only_active_staff_as_assignees(superuser_client, ticket):
    customer = UserFactory.create()

    response = superuser_client.post(_change_url(ticket), _form_data(ticket, assignee=customer.pk))

    assert "assignee" in response.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_admin_adds_a_ticket_for_a_customer_open_and_unassigned(superuser_client, user):
    response = superuser_client.post(
        reverse("admin:tickets_ticket_add"),
        phoned_in_ticket(user.pk),
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.creator, ticket.status, ticket.priority) == (user, Status.OPEN, Priority.HIGH)


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_pending", Status.PENDING), ("mark_resolved", Status.RESOLVED)],
)
def test_admin_status_actions_go_through_the_service(superuser_client, superuser, action, status):
    tickets = TicketFactory.create_batch(2)

    response = superuser_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [t.pk for t in tickets]},
        follow=True,
    )

    assert "2 ticket(s) changed." in response.content.decode()
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.status == status
        assert _history(ticket) == [("status", "open", status, superuser.username)]


def test_admin_reopen_action_skips_tickets_the_workflow_forbids(superuser_client):
    resolved = TicketFactory.create(status=Status.RESOLVED)
    already_open = TicketFactory.create(status=Status.OPEN)

    response = superuser_client.post(
        CHANGELIST,
        {"action": "mark_open", "_selected_action": [resolved.pk, already_open.pk]},
        follow=True,
    )

    resolved.refresh_from_db()
    assert resolved.status == Status.OPEN
    assert resolved.resolved_at is None
    assert "1 ticket(s) changed." in response.content.decode()
    assert not already_open.history.exists()


def test_admin_pending_action_reports_tickets_it_could_not_move(superuser_client):
    resolved = TicketFactory.create(status=Status.RESOLVED)

    response = superuser_client.post(
        CHANGELIST, {"action": "mark_pending", "_selected_action": [resolved.pk]}, follow=True
    )

    assert f"left as they were: #{resolved.pk}" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_admin_assign_to_me_action(superuser_client, superuser, ticket):
    superuser_client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [ticket.pk]})

    ticket.refresh_from_db()
    assert ticket.assignee == superuser
    assert _history(ticket) == [("assignee", "", superuser.username, superuser.username)]


def test_history_and_conversation_are_shown_read_only(superuser_client, superuser, ticket):
    from tickets import services

    CommentFactory.create(ticket=ticket, body="Visible in admin.")
    services.update_ticket(ticket=ticket, actor=superuser, status=Status.PENDING)

    response = superuser_client.get(_change_url(ticket))

    content = response.content.decode()
    assert "Visible in admin." in content
    assert "Pending" in content
    request = response.wsgi_request
    for inline in (TicketChangeInline, CommentInline):
        admin_inline = inline(Ticket, site)
        assert not admin_inline.has_add_permission(request, ticket)
        assert not admin_inline.has_change_permission(request, ticket)
        assert not admin_inline.has_delete_permission(request, ticket)


def test_history_is_not_editable_through_the_admin_anywhere(superuser_client):
    assert TicketChange not in site._registry
    with pytest.raises(NoReverseMatch):
        reverse("admin:tickets_ticketchange_changelist")


def test_admin_refuses_a_line_break_in_a_title_as_a_form_error(superuser_client, ticket):
    response = superuser_client.post(
        _change_url(ticket), _form_data(ticket, title="Printer\r\nBcc: everyone@example.com")
    )

    assert response.status_code == 200
    assert "Use a single line of plain text" in str(response.context["adminform"].form.errors)
    ticket.refresh_from_db()
    assert ticket.title == "Printer on fire"


# --- Impossible lookups are invalid lookups, not server errors ------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"created_at__year": str(2**64)},  # OverflowError inside Django before the fix
        {"created_at__year": "MMXXVI"},  # not a number
        {"created_at__year": "9999"},  # the year after it does not exist
        {"created_at__year": "1"},  # made timezone-aware it may fall before year 1
        {"created_at__year": "2026", "created_at__month": "13"},
        {"created_at__year": "2026", "created_at__month": "2", "created_at__day": "32"},
        {"status__exact": "open\x00"},  # PostgreSQL refuses a NUL in a query
    ],
)
def test_an_impossible_changelist_lookup_redirects_to_the_invalid_lookup_page(
    superuser_client, query
):
    TicketFactory.create()

    response = superuser_client.get(CHANGELIST, query)

    assert response.status_code == 302
    assert response.url == f"{CHANGELIST}?e=1"


def test_the_date_hierarchy_still_filters_by_a_real_year_month_and_day(superuser_client, ticket):
    created = ticket.created_at

    response = superuser_client.get(
        CHANGELIST,
        {
            "created_at__year": created.year,
            "created_at__month": created.month,
            "created_at__day": created.day,
        },
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ticket]


@pytest.mark.parametrize(
    "changelist", ["axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"]
)
def test_django_axes_changelists_refuse_an_impossible_year_too(superuser_client, changelist):
    url = reverse(f"admin:{changelist}_changelist")

    response = superuser_client.get(url, {"attempt_time__year": str(2**64)})

    assert response.status_code == 302
    assert response.url == f"{url}?e=1"
