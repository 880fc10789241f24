"""A small recipe website on 127.0.0.1 for the import tests: real HTTP, real sockets."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from shared.images import make_image

Route = Callable[["Handler"], None]


def recipe_page(*, image: str = "/photo.jpg", title: str = "Grandma's plum cake") -> bytes:
    data = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": title,
        "description": "A tray bake for the plum season.",
        "recipeIngredient": ["250 g flour", "1 ½ cups sugar", "12 plums"],
        "recipeInstructions": [
            {"@type": "HowToStep", "text": "Cream the butter and sugar."},
            {"@type": "HowToStep", "text": "Bake for 45 minutes."},
        ],
        "recipeYield": "8 servings",
        "prepTime": "PT20M",
        "cookTime": "PT45M",
        "image": image,
    }
    return (
        "<!doctype html><html><head><title>Plum cake</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script>'
        "</head><body><h1>Plum cake</h1></body></html>"
    ).encode()


@dataclass
class RecipeSite:
    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        def send(handler: Handler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = send

    def redirect(self, path: str, location: str) -> None:
        def send(handler: Handler) -> None:
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = send

    def route(self, path: str, send: Route) -> None:
        self.routes[path] = send


class Handler(BaseHTTPRequestHandler):
    site: RecipeSite

    def do_GET(self) -> None:
        self.site.requests.append((self.path, self.headers.get("Host", "")))
        send = self.site.routes.get(self.path)
        if send is None:
            self.send_error(404)
            return
        # The importer hangs up on purpose on an answer too big or too slow.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            send(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def running_site() -> Iterator[RecipeSite]:
    site = RecipeSite(port=0)
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    site.page("/recipe", recipe_page())
    site.page("/photo.jpg", make_image("JPEG", (800, 600)), content_type="image/jpeg")
    # serve_forever checks for shutdown() every poll_interval: 0.5 s by default, a half-second
    # wait at the end of each of the fifty-odd tests that run a site.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def slow_body(seconds: float) -> Route:
    """A page that sends its headers, then one byte every ``seconds`` (a slow-drip server)."""

    def send(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(50):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(seconds)

    return send
