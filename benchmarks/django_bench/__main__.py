"""Benchmark commands that run inside one project's Django: ``python -m django_bench COMMAND``.

Each command prints one JSON object on stdout for ``benchmarks/run.py`` to read. Data is made with
``bulk_create`` in batches, straight into the tables the pages read, so 100,000 rows take seconds.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402 - Django must be set up first
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 2_000
MODEL_BACKEND = "config.auth.ModelBackend"
User = get_user_model()


def _batches(items: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def _user(username: str, **fields: Any) -> Any:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com", **fields}
    )
    return user


def _session_cookie(username: str) -> str:
    """A ``Cookie:`` header value that logs ``username`` in (for wrk and the in-process client)."""
    client = Client()
    client.force_login(User.objects.get(username=username), backend=MODEL_BACKEND)
    return f"sessionid={client.cookies['sessionid'].value}"


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as a deployment does after loading data.

    Without it SQLite plans with no statistics at all (and PostgreSQL with stale ones until
    autovacuum gets round to it), so a page can pick a full scan over the index it was built for.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Seeding: top a project's main list up to ``rows`` rows --------------------------------------


#: Rows on a customer's "My tickets" page (helpdesk ``TicketListView.paginate_by``).
CUSTOMER_PAGE = 20


def seed_helpdesk(rows: int) -> dict[str, Any]:
    from tickets.models import Priority, Status, Ticket

    staff = _user("bench-staff", is_staff=True)
    customers = [_user(f"bench-customer-{n}") for n in range(20)]
    statuses, priorities = list(Status.values), list(Priority.values)
    now = timezone.now()

    def tickets(start: int) -> Iterator[Ticket]:
        for n in range(start, rows):
            status = statuses[n % len(statuses)]
            # Open tickets fall due from 12 hours ago to 36 hours ahead (a quarter overdue), so
            # the overdue card, filter and "due soonest" sort have rows to find; pending ones are
            # paused and resolved ones owe nothing (the model's check constraints).
            due = now + timedelta(hours=n % 48 - 12) if status == Status.OPEN else None
            yield Ticket(
                resolution_due_at=due,
                due_at=due,
                title=f"Ticket {n}: the printer on floor {n % 9} jams",
                description="It jams on every second page since this morning.",
                status=status,
                priority=priorities[n % len(priorities)],
                # The measured customer owns the first tickets too, so their first page is
                # full (20 rows) at 100 tickets as at 100,000: the 1.5x comparison then sets a
                # page against the same page, not 5 rows against 20.
                creator=customers[0] if n < CUSTOMER_PAGE else customers[n % len(customers)],
                assignee=staff if n % 3 == 0 else None,
                resolved_at=now if status == Status.RESOLVED else None,
            )

    for batch in _batches(tickets(Ticket.objects.count())):
        Ticket.objects.bulk_create(batch)
    _analyze()
    return {
        "rows": Ticket.objects.count(),
        "cookies": {
            "staff": _session_cookie(staff.username),
            "customer": _session_cookie(customers[0].username),
        },
    }


def seed_ecommerce_api(rows: int) -> dict[str, Any]:
    from catalog.models import Category, Product

    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})

    def products(start: int) -> Iterator[Product]:
        for n in range(start, rows):
            yield Product(
                category=category,
                name=f"Phone model {n}",
                slug=f"phone-model-{n}",
                description="A phone with a screen, a battery and a camera.",
                price=Decimal("199.00") + n % 50,
                stock=(n % 7) * 10,
                is_active=True,
            )

    for batch in _batches(products(Product.objects.filter(category=category).count())):
        Product.objects.bulk_create(batch)
    _analyze()
    return {"rows": Product.objects.count(), "cookies": {}}


def seed_recipe_platform(rows: int) -> dict[str, Any]:
    from recipes.models import Category, Ingredient, Recipe

    cook = _user("bench-cook")
    categories = list(Category.objects.values_list("pk", flat=True))
    start = Recipe.objects.count()

    def recipes() -> Iterator[Recipe]:
        for n in range(start, rows):
            yield Recipe(
                title=f"Weeknight soup number {n}",
                slug=f"weeknight-soup-{n}",
                author=cook,
                description="A warming soup ready in half an hour.",
                instructions="Chop the vegetables.\nSimmer for twenty minutes.",
                prep_minutes=10,
                cook_minutes=20,
                servings=4,
                image=f"recipes/bench-{n}.webp",
                image_width=1600,
                image_height=1200,
                thumbnail=f"recipes/bench-{n}-thumb.webp",
                thumbnail_width=400,
                thumbnail_height=300,
                image_alt="A bowl of soup on a wooden table",
            )

    # The rows a recipe page shows (and a data migration would have made from the old text).
    lines = [(1, "", "onion"), (2, "", "carrots"), (1, "l", "stock")]
    through = Recipe.categories.through
    for batch in _batches(recipes()):
        created = Recipe.objects.bulk_create(batch)
        through.objects.bulk_create(
            through(recipe_id=recipe.pk, category_id=categories[recipe.pk % len(categories)])
            for recipe in created
        )
        Ingredient.objects.bulk_create(
            Ingredient(
                recipe_id=recipe.pk,
                position=position,
                quantity_numerator=amount,
                quantity_denominator=1,
                unit=unit,
                item=item,
            )
            for recipe in created
            for position, (amount, unit, item) in enumerate(lines, start=1)
        )
    _analyze()
    return {"rows": Recipe.objects.count(), "cookies": {"cook": _session_cookie(cook.username)}}


SEEDERS: dict[str, Callable[[int], dict[str, Any]]] = {
    "helpdesk": seed_helpdesk,
    "ecommerce_api": seed_ecommerce_api,
    "recipe_platform": seed_recipe_platform,
}


# --- Measurements inside the process -------------------------------------------------------------


def count_queries(project: str, url: str) -> dict[str, Any]:
    """SQL queries of one request to ``url`` (as the benchmark's staff user where one exists)."""
    client = Client()
    if project == "helpdesk":
        client.force_login(User.objects.get(username="bench-staff"), backend=MODEL_BACKEND)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return {"queries": len(queries)}


# The users the seeders make, by the role a page is measured for (None: anonymous).
BENCH_USERS = {"staff": "bench-staff", "customer": "bench-customer-0", "cook": "bench-cook"}
TIMED_REQUESTS = 15


def _late_page(rows: int, per_page: int) -> str:
    """A page far into the list that exists at any size: the 200th, or the last one."""
    return f"page={max(1, min(200, rows // per_page))}"


def page_variants(project: str) -> list[tuple[str, str, str | None]]:
    """Every filter and sort the project's main pages offer: ``(label, url, role)``.

    Read from the project's own allowlists, so a sort added there is timed here without an edit.
    """
    variants: list[tuple[str, str, str | None]]
    if project == "helpdesk":
        from tickets.dashboard_tickets import DASHBOARD_SORTS, DUE_SOONEST
        from tickets.forms import MINE, OVERDUE, UNASSIGNED
        from tickets.models import Priority, Status, Ticket

        tickets = Ticket.objects.count()

        board = [
            "",
            *(f"status={value}" for value in Status.values),
            *(f"priority={value}" for value in Priority.values),
            f"assignee={MINE}",
            f"assignee={UNASSIGNED}",
            f"due={OVERDUE}",
            *(f"sort={key}" for key in DASHBOARD_SORTS),
            "q=printer+floor+7",
            "q=no+such+words",
            _late_page(tickets, 25),
            f"status={Status.OPEN}&sort=-updated",
            f"assignee={MINE}&sort=-priority",
            # Filters against the sort's own index: no pending ticket has a due time.
            f"status={Status.PENDING}&sort={DUE_SOONEST}",
            f"assignee={UNASSIGNED}&sort={DUE_SOONEST}",
            f"status={Status.PENDING}&priority={Priority.URGENT}&assignee={MINE}&sort=-priority",
        ]
        variants = [(f"/dashboard/ {query}", f"/dashboard/?{query}", "staff") for query in board]
        variants += [
            (f"/tickets/ {query}", f"/tickets/?{query}", "customer")
            for query in (
                "",
                *(f"status={value}" for value in Status.values),
                # Each of the 20 seeded customers has a twentieth of the tickets.
                _late_page(tickets // 20, 20),
            )
        ]
    elif project == "ecommerce_api":
        from catalog.filters import ORDERINGS
        from catalog.models import Product

        catalogue = [
            "",
            "category=bench",
            "in_stock=true",
            "in_stock=false",
            "min_price=230",
            "max_price=205",
            "min_price=210&max_price=220",
            "min_price=0&max_price=100000",
            "min_price=1000&ordering=newest",
            "in_stock=false&ordering=newest",
            "search=model+4711",
            *(f"ordering={key}" for key in ORDERINGS),
            _late_page(Product.objects.count(), 20),
        ]
        variants = [(f"/api/products/ {q}", f"/api/products/?{q}", None) for q in catalogue]
    else:
        from recipes.models import Category, ListOrder, Recipe

        slug = Category.objects.order_by("pk").values_list("slug", flat=True).first()
        listing = [
            "",
            *(f"sort={value}" for value in ListOrder.values if value),
            f"category={slug}",
            f"category={slug}&sort=rating",
            # The search: a rare text (the trigram index), one in a thousand recipes, one in
            # every title and one in every recipe's ingredients only (both past the index's
            # 5,000 matches: the scan in the list's order).
            "q=soup+number+4711",
            "q=number+12",
            "q=soup",
            "q=carrots",
            _late_page(Recipe.objects.count(), 12),
        ]
        variants = [(f"/recipes/ {query}", f"/recipes/?{query}", None) for query in listing]
        variants.append(("/recipes/ (logged in)", "/recipes/?", "cook"))
    return variants


def time_pages(project: str) -> dict[str, Any]:
    """Median in-process time of every page variant, each request a miss for every cache.

    Django's test client with the production settings (no network, no gunicorn): what the view,
    its middleware, its queries and its template cost. Each request carries a query parameter no
    request sent before, as the load test's cache-miss run does.
    """
    clients: dict[str | None, Client] = {None: Client()}
    counter = 0

    def median_ms(client: Client, url: str) -> float:
        nonlocal counter
        timings = []
        for attempt in range(2 + TIMED_REQUESTS):
            counter += 1
            separator = "&" if "?" in url else "?"
            started = time.perf_counter()
            response = client.get(f"{url}{separator}bench_miss={counter}")
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if attempt >= 2:  # the first two warm up connections and compiled templates
                timings.append(elapsed)
        return statistics.median(timings)

    pages = []
    for label, url, role in page_variants(project):
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(
                User.objects.get(username=BENCH_USERS[role]), backend=MODEL_BACKEND
            )
        pages.append({"label": label, "url": url, "ms": median_ms(clients[role], url)})
    return {"hello_ms": median_ms(clients[None], "/bench/hello"), "pages": pages}


def order_setup(stock: int, buyers: int) -> dict[str, Any]:
    """A fresh product with ``stock`` units and ``buyers`` customers, each with an API token."""
    from catalog.models import Category, Product
    from rest_framework.authtoken.models import Token

    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    stamp = time.time_ns()
    product = Product.objects.create(
        category=category,
        name=f"Limited edition {stamp}",
        slug=f"limited-edition-{stamp}",
        price=Decimal("999.00"),
        stock=stock,
        is_active=True,
    )
    users = User.objects.bulk_create(
        User(username=f"buyer-{stamp}-{n}", email=f"buyer-{stamp}-{n}@example.com")
        for n in range(buyers)
    )
    tokens = [Token.objects.create(user=user).key for user in users]
    return {"product": product.pk, "tokens": tokens}


def stock_of(product_id: int) -> dict[str, Any]:
    from catalog.models import Product
    from orders.models import Order

    product = Product.objects.get(pk=product_id)
    orders = Order.objects.filter(lines__product=product).distinct().count()
    return {"stock": product.stock, "orders": orders}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def process_photo(path: str) -> dict[str, Any]:
    """Time and peak memory of the upload pipeline on one photo from disk."""
    from django.core.files import File
    from recipes.images import process_upload

    baseline = _peak_rss_mb()
    with open(path, "rb") as handle:
        started = time.perf_counter()
        processed = process_upload(File(handle, name="photo.jpg"))
        elapsed = time.perf_counter() - started
    del processed
    return {"seconds": elapsed, "peak_rss_mb": _peak_rss_mb(), "baseline_rss_mb": baseline}


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def refuse_bomb() -> dict[str, Any]:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from recipes.images import process_upload

    upload = SimpleUploadedFile("bomb.png", _png_claiming(50_000, 50_000), "image/png")
    baseline = _peak_rss_mb()
    started = time.perf_counter()
    try:
        process_upload(upload)
    except ValidationError:
        refused = True
    else:
        refused = False
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "refused": refused, "rss_growth_mb": _peak_rss_mb() - baseline}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m django_bench")
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed")
    seed.add_argument("project", choices=sorted(SEEDERS))
    seed.add_argument("rows", type=int)
    queries = commands.add_parser("queries")
    queries.add_argument("project")
    queries.add_argument("url")
    timings = commands.add_parser("timings")
    timings.add_argument("project", choices=sorted(SEEDERS))
    setup = commands.add_parser("order-setup")
    setup.add_argument("stock", type=int)
    setup.add_argument("buyers", type=int)
    stock = commands.add_parser("stock")
    stock.add_argument("product", type=int)
    photo = commands.add_parser("photo")
    photo.add_argument("path")
    commands.add_parser("bomb")
    args = parser.parse_args(argv)

    result = {
        "seed": lambda: SEEDERS[args.project](args.rows),
        "queries": lambda: count_queries(args.project, args.url),
        "timings": lambda: time_pages(args.project),
        "order-setup": lambda: order_setup(args.stock, args.buyers),
        "stock": lambda: stock_of(args.product),
        "photo": lambda: process_photo(args.path),
        "bomb": refuse_bomb,
    }[args.command]()
    out = io.StringIO()
    json.dump(result, out)
    sys.stdout.write(out.getvalue() + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
