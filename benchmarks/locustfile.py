"""Mixed, realistic traffic on the three projects for the soak test (``nox -s soak``).

Run by ``benchmarks/soak.py``, which serves the projects, seeds them and passes what the users
need through ``SOAK_*`` environment variables. Every user talks to 127.0.0.1 only.

Expected refusals are not failures: an order for stock that is gone (400/409), a throttle (429),
a ticket that is no longer there. What must never happen is a 5xx or a dropped connection;
:func:`_record` counts those, and every response's latency per project, and
:func:`_write_summary` hands the numbers to the runner when Locust stops.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from PIL import Image

SETUP: dict[str, Any] = json.loads(os.environ.get("SOAK_SETUP", "{}"))
HOSTS: dict[str, str] = json.loads(os.environ.get("SOAK_HOSTS", "{}"))
SUMMARY = Path(os.environ.get("SOAK_SUMMARY", "soak-summary.json"))
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TICKET = re.compile(r'href="/tickets/(\d+)/"')
_RECIPE = re.compile(r'href="/recipes/([\w-]+)/"')

latencies: dict[str, list[float]] = defaultdict(list)
server_errors: list[str] = []
connection_errors: list[str] = []
statuses: dict[str, int] = defaultdict(int)


@events.request.add_listener
def _record(
    request_type: str,
    name: str,
    response_time: float,
    response: Any,
    exception: BaseException | None,
    context: dict[str, Any],
    **_: Any,
) -> None:
    project = context.get("project", "?")
    latencies[project].append(response_time)
    status = getattr(response, "status_code", 0) or 0
    statuses[f"{project} {status}"] += 1
    if status >= 500:
        server_errors.append(f"{project} {request_type} {name} -> {status}")
    elif exception is not None and status == 0:
        connection_errors.append(f"{project} {request_type} {name}: {exception!r}"[:300])


@events.quitting.add_listener
def _write_summary(environment: Any, **_: Any) -> None:
    SUMMARY.write_text(
        json.dumps(
            {
                "latencies": latencies,
                "server_errors": server_errors,
                "connection_errors": connection_errors,
                "statuses": statuses,
            }
        )
    )


def _photo() -> bytes:
    """A real 800 x 600 JPEG with some detail, different on every upload."""
    image = Image.new("RGB", (800, 600), tuple(random.randrange(256) for _ in range(3)))  # noqa: S311
    for _ in range(40):
        x, y = random.randrange(780), random.randrange(580)  # noqa: S311
        image.paste(tuple(random.randrange(256) for _ in range(3)), (x, y, x + 20, y + 20))  # noqa: S311
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class _ProjectUser(HttpUser):
    """A user of one project: its base URL, and a tag on every request for the summary."""

    abstract = True
    project = ""
    wait_time = between(0.2, 1.5)

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (), **kwargs: Any) -> Any:
        """Send a request; the statuses in ``ok`` (besides 2xx/3xx) are expected refusals."""
        with self.client.request(
            method, path, catch_response=True, context={"project": self.project}, **kwargs
        ) as response:
            if response.status_code < 400 or response.status_code in ok:
                response.success()
        # Production settings mark the session and CSRF cookies Secure; this is plain HTTP on
        # loopback, so hand them back as a browser behind the TLS proxy would.
        for cookie in self.client.cookies:
            cookie.secure = False
        return response


class _FormUser(_ProjectUser):
    """A browser-like user of a server-rendered project: logs in through the real form."""

    abstract = True
    people_key = ""

    def on_start(self) -> None:
        setup = SETUP[self.project]
        self.username = random.choice(setup[self.people_key])  # noqa: S311
        self.password = setup["password"]
        page = self.request("GET", "/accounts/login/")
        self.request(
            "POST",
            "/accounts/login/",
            data={
                "username": self.username,
                "password": self.password,
                "csrfmiddlewaretoken": self.csrf(page.text),
            },
        )

    def csrf(self, html: str) -> str:
        match = _CSRF.search(html)
        return match.group(1) if match else self.client.cookies.get("csrftoken", "")


class HelpdeskCustomer(_FormUser):
    host = HOSTS.get("helpdesk")
    project = "helpdesk"
    people_key = "customers"
    weight = 3

    @task(4)
    def my_tickets(self) -> None:
        page = self.request("GET", "/tickets/")
        if ids := _TICKET.findall(page.text):
            self.request("GET", f"/tickets/{random.choice(ids)}/")  # noqa: S311

    @task(2)
    def open_ticket(self) -> None:
        form = self.request("GET", "/tickets/new/")
        self.request(
            "POST",
            "/tickets/new/",
            data={
                "title": f"Soak ticket {time.time_ns()}",
                "description": "The app crashes when I tap Save twice.",
                "priority": random.choice(["low", "normal", "high"]),  # noqa: S311
                "csrfmiddlewaretoken": self.csrf(form.text),
            },
        )

    @task(1)
    def reply(self) -> None:
        page = self.request("GET", "/tickets/")
        if ids := _TICKET.findall(page.text):
            ticket = random.choice(ids)  # noqa: S311
            detail = self.request("GET", f"/tickets/{ticket}/")
            self.request(
                "POST",
                f"/tickets/{ticket}/comments/",
                data={"body": "Any news?", "csrfmiddlewaretoken": self.csrf(detail.text)},
            )


class HelpdeskAgent(_FormUser):
    host = HOSTS.get("helpdesk")
    project = "helpdesk"
    people_key = "staff"
    weight = 1

    @task(3)
    def dashboard(self) -> None:
        status = random.choice(["", "open", "pending", "resolved"])  # noqa: S311
        self.request("GET", f"/dashboard/?status={status}" if status else "/dashboard/")

    @task(2)
    def change_status(self) -> None:
        board = self.request("GET", "/dashboard/?status=open")
        if ids := _TICKET.findall(board.text):
            ticket = random.choice(ids)  # noqa: S311
            self.request(
                "POST",
                f"/tickets/{ticket}/status/",
                data={
                    "status": random.choice(["pending", "resolved", "open"]),  # noqa: S311
                    "csrfmiddlewaretoken": self.csrf(board.text),
                },
            )


class ShopCustomer(_ProjectUser):
    """A phone app user: browses, orders the scarce items, sometimes cancels."""

    host = HOSTS.get("ecommerce_api")
    project = "ecommerce_api"
    weight = 4

    def on_start(self) -> None:
        setup = SETUP[self.project]
        index = random.randrange(len(setup["tokens"]))  # noqa: S311
        self.username = setup["customers"][index]
        self.headers = {"Authorization": f"Token {setup['tokens'][index]}"}
        self.scarce = setup["scarce"]
        self.orders: list[int] = []

    @task(4)
    def browse(self) -> None:
        self.request("GET", f"/api/products/?page={random.randint(1, 3)}", ok=(404,))  # noqa: S311

    @task(1)
    def log_in(self) -> None:
        self.request(
            "POST",
            "/api/auth/token/",
            json={"username": self.username, "password": SETUP[self.project]["password"]},
            ok=(429,),
        )

    @task(3)
    def order(self) -> None:
        items = [
            {"product": product, "quantity": random.randint(1, 3)}  # noqa: S311
            for product in random.sample(self.scarce, random.randint(1, 2))  # noqa: S311
        ]
        response = self.request(
            "POST",
            "/api/orders/",
            json={"items": items},
            headers={**self.headers, "Idempotency-Key": f"soak-{time.time_ns()}"},
            ok=(400, 409, 429, 503),
        )
        if response.status_code == 201:
            self.orders.append(response.json()["id"])

    @task(1)
    def cancel(self) -> None:
        if self.orders:
            order = self.orders.pop(random.randrange(len(self.orders)))  # noqa: S311
            self.request(
                "POST", f"/api/orders/{order}/cancel/", headers=self.headers, ok=(400, 409, 429)
            )


class Cook(_FormUser):
    host = HOSTS.get("recipe_platform")
    project = "recipe_platform"
    people_key = "cooks"
    weight = 2

    @task(4)
    def browse(self) -> None:
        categories = SETUP[self.project]["categories"]
        query = f"?category={random.choice(categories)}" if categories else ""  # noqa: S311
        page = self.request("GET", f"/recipes/{query}")
        if slugs := [s for s in _RECIPE.findall(page.text) if s not in {"new", "mine"}]:
            self.request("GET", f"/recipes/{random.choice(slugs)}/")  # noqa: S311

    @task(1)
    def publish(self) -> None:
        form = self.request("GET", "/recipes/new/")
        self.request(
            "POST",
            "/recipes/new/",
            data={
                "title": f"Soak soup {time.time_ns()}",
                "description": "Warming and quick.",
                # The no-JavaScript way in: a pasted list, read into rows on save.
                "paste_ingredients": "1 l stock\n2 carrots",
                "ingredients-TOTAL_FORMS": "0",
                "ingredients-INITIAL_FORMS": "0",
                "instructions": "Simmer everything for 20 minutes.",
                "prep_minutes": "5",
                "cook_minutes": "20",
                "servings": "4",
                "image_alt": "A bowl of soup",
                "csrfmiddlewaretoken": self.csrf(form.text),
            },
            files={"image": ("soup.jpg", _photo(), "image/jpeg")},
        )

    @task(1)
    def replace_or_delete(self) -> None:
        mine = self.request("GET", "/recipes/mine/")
        slugs = [s for s in _RECIPE.findall(mine.text) if s not in {"new", "mine"}]
        if not slugs:
            return
        slug = random.choice(slugs)  # noqa: S311
        form = self.request("GET", f"/recipes/{slug}/delete/")
        self.request(
            "POST", f"/recipes/{slug}/delete/", data={"csrfmiddlewaretoken": self.csrf(form.text)}
        )


class Visitor(_ProjectUser):
    """Anonymous browsing of the recipe list and the shop's catalogue."""

    host = HOSTS.get("recipe_platform")
    project = "recipe_platform"
    weight = 2

    @task
    def recipes(self) -> None:
        self.request("GET", f"/recipes/?page={random.randint(1, 2)}", ok=(404,))  # noqa: S311
