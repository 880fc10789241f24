"""config.client_ip: the address a lockout counts, chosen by the deployment, never the client."""

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip


def _request(remote_addr="10.0.0.9", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"HTTP_X_REAL_IP": "203.0.113.7"},
        {"HTTP_FORWARDED": "for=203.0.113.7"},
        {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7", "HTTP_X_REAL_IP": "192.0.2.1"},
    ],
)
def test_by_default_every_client_header_is_ignored(settings, headers):
    assert settings.TRUSTED_PROXY_COUNT == 0

    assert client_ip(_request(**headers)) == "10.0.0.9"


def test_with_one_proxy_the_rightmost_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    request = _request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", HTTP_X_REAL_IP="6.6.6.6")

    assert client_ip(request) == "203.0.113.7"


def test_with_two_proxies_the_second_address_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    request = _request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.8")

    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded_for",
    [None, "", "203.0.113.7", "not-an-address, 10.0.0.8", "203.0.113.7:443, 10.0.0.8"],
    ids=["absent", "empty", "too-few-entries", "not-an-ip", "with-a-port"],
)
def test_an_untrustworthy_header_falls_back_to_the_peer_address(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 2
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}

    assert client_ip(_request(**headers)) == "10.0.0.9"


def test_addresses_are_normalised_so_one_client_has_one_spelling(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    request = _request(HTTP_X_FORWARDED_FOR="2001:DB8:0:0::1 ")

    assert client_ip(request) == "2001:db8::1"
