"""The ``Idempotency-Key`` header: reading it, and fingerprinting the request it came with."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
_KEY = re.compile(rf"[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}")  # visible ASCII, as in the IETF draft


def idempotency_key(request: Request) -> str | None:
    """The request's key, ``None`` without one; a 400 when it is empty, too long or not ASCII."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise ValidationError(
            {HEADER: [f"Use 1 to {MAX_KEY_LENGTH} visible ASCII characters, e.g. a UUID."]}
        )
    return key


def request_hash(data: Any) -> str:
    """A SHA-256 of the body's canonical JSON: key order and whitespace do not matter,
    every value does (a different body under the same key is refused)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
