"""A database that is away, where the recipe platform's own pages meet it.

The rule itself (a view's or the session's database error answers the 503 page with
``Retry-After: 10``, logged as one WARNING without a traceback; any other error is still the
500 page) is the contract's, run in ``tests/test_contract.py`` (``TestDatabaseOutage``,
``TestDatabaseOutageBeforeAnyView``). Here: a query failing in a real view, and the page's
inline style under this project's nonce-based policy. ``tests/faults/`` restarts a real
PostgreSQL under gunicorn.
"""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django.asserts import assertContains

from config.error_pages import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

DOWN = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def test_a_query_failing_in_the_recipe_list_is_the_503_page_styled_under_the_nonce():
    with mock.patch("recipes.list_reads.categories", side_effect=DOWN):
        response = Client(raise_request_exception=False).get("/recipes/")

    assertContains(response, "Back in a moment", status_code=503)
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    # The page's inline style carries the response's CSP nonce, like the 500 page's.
    nonce = response["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert "style-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assertContains(response, f'<style nonce="{nonce}">', status_code=503)
