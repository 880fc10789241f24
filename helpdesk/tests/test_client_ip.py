"""config.client_ip: the address a lockout counts, as the deployment (not the client) says."""

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip

FORGED = {
    "HTTP_X_FORWARDED_FOR": "203.0.113.7",
    "HTTP_X_REAL_IP": "198.51.100.7",
    "HTTP_FORWARDED": "for=192.0.2.7",
}


def _request(remote_addr="10.0.0.9", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_by_default_every_forwarding_header_is_ignored():
    assert client_ip(_request(**FORGED)) == "10.0.0.9"


def test_by_default_the_setting_is_zero(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
    ],
)
def test_behind_n_proxies_the_nth_address_from_the_right_is_the_clients(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded_for)) == expected


@pytest.mark.parametrize(
    ("proxies", "forwarded_for"),
    [
        (1, None),  # the proxy was bypassed
        (2, "203.0.113.7"),  # fewer entries than proxies
        (1, "6.6.6.6, not-an-address"),
        (1, "6.6.6.6, 203.0.113.7:443"),
        (1, "6.6.6.6,"),
        (1, "1" + "0" * 30),
    ],
)
def test_an_untrustworthy_forwarded_for_falls_back_to_the_peer_address(
    settings, proxies, forwarded_for
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}

    assert client_ip(_request(**headers)) == "10.0.0.9"


def test_x_real_ip_and_forwarded_are_never_read(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    request = _request(HTTP_X_REAL_IP="198.51.100.7", HTTP_FORWARDED="for=192.0.2.7")

    assert client_ip(request) == "10.0.0.9"


def test_django_axes_uses_it(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.client_ip.client_ip"
