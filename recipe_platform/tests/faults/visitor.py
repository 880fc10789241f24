"""A visitor of a live server: cookies, CSRF tokens, forms and uploads over plain HTTP.

The production settings mark cookies ``Secure``, which an HTTP client honouring the flag would
never send back to ``http://127.0.0.1``; this one keeps every cookie by name, as a browser on
HTTPS would. Standard library only, so a test drives gunicorn exactly as a browser's requests
would reach it: no Django test client, no WSGI shortcut.
"""

from __future__ import annotations

import http.client
import re
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Visitor:
    """One browser: its own cookies (session, CSRF), one request at a time or from threads."""

    def __init__(self, base_url: str) -> None:
        address = urlsplit(base_url)
        self.host, self.port = address.hostname or "127.0.0.1", address.port or 80
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Answer:
        return self._request("GET", path)

    def post(
        self,
        path: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes]] | None = None,
        *,
        token: str | None = None,
    ) -> Answer:
        """POST a form (multipart when ``files`` is given) with ``token``, or the CSRF token of
        ``path``'s page fetched first."""
        fields = {"csrfmiddlewaretoken": token or self.csrf_token(path), **fields}
        if files is None:
            body = urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            body, content_type = _multipart(fields, files)
        return self._request("POST", path, body, {"Content-Type": content_type})

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        match = _CSRF_INPUT.search(page.body)
        if match is None:
            raise AssertionError(f"no form with a CSRF token at {path}: {page.status}")
        return match.group(1)

    def log_in(self, username: str, password: str) -> Answer:
        return self.post("/accounts/login/", {"username": username, "password": password})

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        headers = {**(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, dict(response.headers), content, time.monotonic() - started)


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
