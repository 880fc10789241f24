"""A WSGI application for shared.servers' tests: /healthz answers 200, everything else 404."""

from collections.abc import Callable, Iterable
from typing import Any


def application(
    environ: dict[str, Any], start_response: Callable[[str, list[tuple[str, str]]], object]
) -> Iterable[bytes]:
    if environ["PATH_INFO"] == "/healthz":
        start_response("200 OK", [("Content-Type", "application/json"), ("X-Test", "yes")])
        return [b'{"status": "ok"}']
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]
