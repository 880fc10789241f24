"""The help desk's own error pages: its 404 and its static files.

That an unhandled error is the friendly 500 ("Something went wrong on our side"), built without
the database or any context, is the contract's (``tests/test_contract.py``,
``TestServerError``).
"""

import pytest

pytestmark = pytest.mark.django_db


def test_404_page_is_friendly_and_styled(user_client):
    response = user_client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"We couldn't find that" in response.content
    assert b"/static/css/site.css" in response.content


def test_static_css_is_served_locally(client):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert b"badge-urgent" in b"".join(response.streaming_content)
