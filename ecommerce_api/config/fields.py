"""Request fields every endpoint that takes quantities of products reads the same way.

Orders, the cart and the order preview all validate ``product`` and ``quantity`` with these, so
a value one of them accepts is accepted by all three, and refused with the same message.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

#: How many products (lines) an order, or a cart, may hold.
MAX_LINES = 50
#: How many of one product an order, or a cart, may hold.
MAX_QUANTITY = 100
MAX_ID = 2**63 - 1  # a database BIGINT; anything larger could never be a product's id


class JSONIntegerField(serializers.IntegerField):
    """A whole number sent as a JSON integer: ``3``, never ``"3"``, ``3.0``, ``1e2`` or ``true``.

    DRF's ``IntegerField`` reads anything ``int()`` can, after cutting a trailing ``.0``: the
    strings ``"1_0"`` (ten), ``"\\uff11"`` (a fullwidth one) and ``"  3 "``, the floats ``1.0``
    and ``1e2``, and JSON's ``true`` (a Python ``bool``, and so an ``int``). A client that sends
    any of these has a bug (or a guess) worth reporting, so only one spelling is accepted.
    """

    default_error_messages = {"invalid": "A whole number is required, sent as a JSON integer."}

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        value: int = super().to_internal_value(data)
        return value


class JSONBooleanField(serializers.BooleanField):
    """``true`` or ``false`` as JSON booleans only: DRF's ``BooleanField`` also reads ``"yes"``,
    ``"on"``, ``1`` and ``"0"``, which a JSON client never means."""

    default_error_messages = {"invalid": "Must be true or false, sent as a JSON boolean."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


def product_id_field() -> JSONIntegerField:
    return JSONIntegerField(min_value=1, max_value=MAX_ID, help_text="A product's id.")


def quantity_field() -> JSONIntegerField:
    return JSONIntegerField(
        min_value=1, max_value=MAX_QUANTITY, help_text=f"From 1 to {MAX_QUANTITY}."
    )
