"""``config.client_ip``: the address every lockout and throttle counts, chosen by the deployment.

``X-Forwarded-For``, ``X-Real-IP`` and ``Forwarded`` are ordinary request headers a client can
write with any value; trusting one by default would let an attacker pick a new address for
every guess and never be locked out. So with ``DJANGO_TRUSTED_PROXY_COUNT=0`` (the default) the
address is the TCP peer, and behind N proxies it is the Nth ``X-Forwarded-For`` entry from the
right (the one the outermost trusted proxy appended), else the peer when the chain is too short
or that entry is not an IP address. How production reads the variable is
:mod:`shared.contract.settings`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils.module_loading import import_string
from pytest_django import Settings

CLIENT_IP = "config.client_ip.client_ip"
PEER = "10.0.0.9"
FORGED = {
    "HTTP_X_FORWARDED_FOR": "203.0.113.7",
    "HTTP_X_REAL_IP": "198.51.100.7",
    "HTTP_FORWARDED": "for=192.0.2.7",
}


def _request(**headers: Any) -> HttpRequest:
    return RequestFactory().get("/", REMOTE_ADDR=PEER, **headers)


class ClientIpContract:
    """Subclass as ``TestClientIp``."""

    @pytest.fixture
    def client_ip(self) -> Callable[[HttpRequest], str]:
        function: Callable[[HttpRequest], str] = import_string(CLIENT_IP)
        return function

    def test_django_axes_counts_this_address(self, settings: Settings) -> None:
        assert settings.AXES_CLIENT_IP_CALLABLE == CLIENT_IP

    def test_by_default_no_proxy_is_trusted(self, settings: Settings) -> None:
        assert settings.TRUSTED_PROXY_COUNT == 0

    @pytest.mark.parametrize(
        "headers",
        [
            FORGED,
            {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},
            {"HTTP_X_REAL_IP": "203.0.113.7"},
            {"HTTP_FORWARDED": "for=203.0.113.7"},
            {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7", "HTTP_X_REAL_IP": "192.0.2.1"},
        ],
        ids=["all-three", "x-forwarded-for", "x-real-ip", "forwarded", "a-chain"],
    )
    def test_by_default_it_is_the_tcp_peer_whatever_the_headers_say(
        self, client_ip: Callable[[HttpRequest], str], headers: dict[str, str]
    ) -> None:
        assert client_ip(_request(**headers)) == PEER

    @pytest.mark.parametrize(
        ("proxies", "forwarded_for", "expected"),
        [
            (1, "203.0.113.7", "203.0.113.7"),
            # The client wrote the left part itself; the proxy appended the address it saw.
            (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
            (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
            (1, "203.0.113.66,2001:db8::1", "2001:db8::1"),
        ],
    )
    def test_behind_n_proxies_it_is_the_nth_address_from_the_right(
        self,
        client_ip: Callable[[HttpRequest], str],
        settings: Settings,
        proxies: int,
        forwarded_for: str,
        expected: str,
    ) -> None:
        settings.TRUSTED_PROXY_COUNT = proxies
        request = _request(HTTP_X_FORWARDED_FOR=forwarded_for, HTTP_X_REAL_IP="6.6.6.6")

        assert client_ip(request) == expected

    @pytest.mark.parametrize("forwarded_for", [" 2001:DB8::1 ", "2001:DB8:0:0::1"])
    def test_addresses_are_normalised_so_one_client_has_one_spelling(
        self, client_ip: Callable[[HttpRequest], str], settings: Settings, forwarded_for: str
    ) -> None:
        settings.TRUSTED_PROXY_COUNT = 1

        assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded_for)) == "2001:db8::1"

    @pytest.mark.parametrize(
        ("proxies", "forwarded_for"),
        [
            (1, None),  # the proxy was bypassed
            (2, None),
            (1, ""),
            (2, ""),
            (2, "203.0.113.7"),  # fewer entries than proxies
            (1, "6.6.6.6, not-an-address"),
            (2, "not-an-address, 10.0.0.8"),
            (1, "6.6.6.6, 203.0.113.7:443"),
            (2, "203.0.113.7:443, 10.0.0.8"),
            (1, "6.6.6.6,"),
            (1, "1" + "0" * 30),
            (2, "\u0663, 10.0.0.2"),  # an Arabic-Indic digit is a digit to int(), not to an address
        ],
    )
    def test_a_chain_too_short_or_not_an_address_falls_back_to_the_peer(
        self,
        client_ip: Callable[[HttpRequest], str],
        settings: Settings,
        proxies: int,
        forwarded_for: str | None,
    ) -> None:
        settings.TRUSTED_PROXY_COUNT = proxies
        headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}

        assert client_ip(_request(**headers)) == PEER

    def test_x_real_ip_and_forwarded_are_never_read_even_behind_a_proxy(
        self, client_ip: Callable[[HttpRequest], str], settings: Settings
    ) -> None:
        settings.TRUSTED_PROXY_COUNT = 1

        request = _request(HTTP_X_REAL_IP="198.51.100.7", HTTP_FORWARDED="for=192.0.2.7")

        assert client_ip(request) == PEER
