"""The address every throttle and lockout counts: the TCP peer unless the deployment trusts
a number of proxies (``DJANGO_TRUSTED_PROXY_COUNT``), never a header a client chose."""

from typing import Any

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip

FORGED = {
    "HTTP_X_FORWARDED_FOR": "203.0.113.66",
    "HTTP_X_REAL_IP": "203.0.113.67",
    "HTTP_FORWARDED": "for=203.0.113.68",
}


def _request(remote_addr: str = "192.0.2.10", **headers: Any):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_by_default_it_is_the_tcp_peer_whatever_the_headers_say(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(**FORGED)) == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote the left part itself; the proxy appended the address it saw.
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "203.0.113.66,2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_it_is_the_address_the_outermost_one_appended(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    request = _request(HTTP_X_FORWARDED_FOR=forwarded_for, HTTP_X_REAL_IP="203.0.113.67")

    assert client_ip(request) == expected


@pytest.mark.parametrize(
    "forwarded_for",
    [
        "",
        "198.51.100.7",
        "not-an-address, 10.0.0.2",
        "198.51.100.7:443, 10.0.0.2",
        "\u0663, 10.0.0.2",
    ],
)
def test_a_chain_shorter_than_the_proxies_or_not_an_address_falls_back_to_the_peer(
    settings, forwarded_for
):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded_for)) == "192.0.2.10"
