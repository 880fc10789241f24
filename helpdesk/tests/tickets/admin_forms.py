"""What the admin's "add ticket" page posts: one definition for the tests that use it."""

from __future__ import annotations

from typing import Any


def phoned_in_ticket(creator_pk: int) -> dict[str, Any]:
    """A high-priority ticket typed in by staff for a customer, with empty inlines."""
    return {
        "creator": creator_pk,
        "title": "Phoned in",
        "description": "Customer called about the printer.",
        "priority": "high",
        **{
            f"{inline}-{count}": "0"
            for inline in ("comments", "attachments", "history")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
