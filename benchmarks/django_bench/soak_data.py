"""Soak-test data and the final audit, run inside one project: ``python -m django_bench.soak_data``.

``setup PROJECT`` makes the people (and, for the shop, the scarce stock) the load generator
uses and prints them as JSON. ``reconcile PROJECT`` checks, after the run, the invariants that
no fault may break, and prints what it found as JSON:

- ecommerce_api: for every product, stock + units in orders that are not cancelled = the stock
  it had at setup; every order's total = the sum of its lines.
- recipe_platform: every stored photo file is referenced by exactly one recipe, and every
  recipe's photo exists in storage (after the clean-up job has run).
- helpdesk: every ticket's history ends in its current status; every mail queued for a change
  was sent (the worker ran beside the server).
"""

from __future__ import annotations

import inspect
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402 - Django must be set up first
from django.db.models import Sum  # noqa: E402

PASSWORD = "soak-password-4711"  # noqa: S105 - a throwaway account in a throwaway database
User = get_user_model()


def _people(prefix: str, count: int, **fields: Any) -> list[str]:
    names = []
    for n in range(count):
        user, created = User.objects.get_or_create(
            username=f"{prefix}-{n}", defaults={"email": f"{prefix}-{n}@example.com", **fields}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        names.append(user.get_username())
    return names


def setup_helpdesk() -> dict[str, Any]:
    return {
        "password": PASSWORD,
        "customers": _people("soak-customer", 20),
        "staff": _people("soak-agent", 3, is_staff=True),
    }


def setup_ecommerce_api(initial_stock_file: Path) -> dict[str, Any]:
    from catalog.models import Category, Product
    from rest_framework.authtoken.models import Token

    category, _ = Category.objects.get_or_create(slug="soak", defaults={"name": "Soak"})
    scarce = [
        Product.objects.get_or_create(
            slug=f"soak-scarce-{n}",
            defaults={
                "category": category,
                "name": f"Scarce item {n}",
                "price": Decimal("19.99") + n,
                "stock": 25,
                "is_active": True,
            },
        )[0].pk
        for n in range(4)
    ]
    customers = _people("soak-buyer", 40)
    tokens = [
        Token.objects.get_or_create(user=User.objects.get(username=name))[0].key
        for name in customers
    ]
    initial = dict(Product.objects.values_list("pk", "stock"))
    initial_stock_file.write_text(json.dumps(initial))
    return {"password": PASSWORD, "customers": customers, "tokens": tokens, "scarce": scarce}


def setup_recipe_platform() -> dict[str, Any]:
    from recipes.models import Category

    return {
        "password": PASSWORD,
        "cooks": _people("soak-cook", 10),
        "categories": list(Category.objects.values_list("slug", flat=True)),
    }


def reconcile_ecommerce_api(initial_stock_file: Path) -> dict[str, Any]:
    from catalog.models import Product
    from orders.models import Order, OrderLine

    initial = {int(pk): stock for pk, stock in json.loads(initial_stock_file.read_text()).items()}
    sold = dict(
        OrderLine.objects.exclude(order__status=Order.Status.CANCELLED)
        .values("product")
        .annotate(units=Sum("quantity"))
        .values_list("product", "units")
    )
    drift = {
        pk: {"initial": initial[pk], "stock": stock, "sold": sold.get(pk, 0)}
        for pk, stock in Product.objects.values_list("pk", "stock")
        if pk in initial and stock + sold.get(pk, 0) != initial[pk]
    }
    wrong_totals = [
        order.pk
        for order in Order.objects.prefetch_related("lines")
        if order.total != sum((ln.unit_price * ln.quantity for ln in order.lines.all()), Decimal(0))
    ]
    empty_orders = Order.objects.filter(lines__isnull=True).count()
    return {
        "orders": Order.objects.count(),
        "cancelled": Order.objects.filter(status=Order.Status.CANCELLED).count(),
        "units_sold": sum(sold.values()),
        "stock_drift": drift,
        "orders_with_wrong_total": wrong_totals,
        "orders_without_lines": empty_orders,
        "ok": not drift and not wrong_totals and not empty_orders,
    }


def reconcile_recipe_platform() -> dict[str, Any]:
    from django.core.files.storage import default_storage
    from recipes.models import Recipe

    referenced = Counter(
        name
        for pair in Recipe.objects.exclude(image="").values_list("image", "thumbnail")
        for name in pair
        if name
    )
    stored: set[str] = set()
    pending = [""]
    while pending:
        folder = pending.pop()
        directories, files = default_storage.listdir(folder)
        pending += [f"{folder}/{d}".lstrip("/") for d in directories]
        stored |= {f"{folder}/{f}".lstrip("/") for f in files}
    photos = stored
    missing = sorted(name for name in referenced if not default_storage.exists(name))
    shared = sorted(name for name, count in referenced.items() if count > 1)
    unreferenced = sorted(photos - set(referenced))
    return {
        "recipes": Recipe.objects.count(),
        "photos_stored": len(photos),
        "referenced_but_missing": missing,
        "referenced_twice": shared,
        "stored_but_unreferenced": unreferenced[:20],
        "stored_but_unreferenced_count": len(unreferenced),
        "ok": not missing and not shared,
    }


def _last_status_change(ticket: Any) -> Any:
    changes = [change for change in ticket.history.all() if change.field == "status"]
    return max(changes, key=lambda change: change.pk, default=None)


def reconcile_helpdesk() -> dict[str, Any]:
    from tickets.models import Ticket

    wrong = [
        ticket.pk
        for ticket in Ticket.objects.prefetch_related("history")
        if (last := _last_status_change(ticket)) is not None and last.new_value != ticket.status
    ]
    return {"tickets": Ticket.objects.count(), "history_disagrees": wrong, "ok": not wrong}


def main(argv: list[str]) -> None:
    command, project, stock_file = argv
    function = globals()[f"{command}_{project}"]
    # Only the shop keeps state between setup and reconcile: its stock at setup.
    wants_file = bool(inspect.signature(function).parameters)
    result = function(Path(stock_file)) if wants_file else function()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
