"""Status and priority badges as filters: one line of markup, shown on every row of every list.

A filter costs a function call where ``{% include %}`` costs a template render per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.html import format_html

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from tickets.models import Ticket

register = template.Library()


@register.filter
def status_badge(ticket: Ticket) -> SafeString:
    return format_html(
        '<span class="badge badge-status badge-{}">{}</span>',
        ticket.status,
        ticket.get_status_display(),
    )


@register.filter
def priority_badge(ticket: Ticket) -> SafeString:
    return format_html(
        '<span class="badge badge-priority badge-{}">{}</span>',
        ticket.priority,
        ticket.get_priority_display(),
    )
