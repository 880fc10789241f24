"""The import's fetch refuses every address that is not a public web server, and every answer
that is too big, too slow, redirected too often or not what was asked for."""

import ipaddress
from typing import Any, cast

import pytest
import urllib3

from importer import safe_fetch
from importer.safe_fetch import FetchRefused, fetch, is_public

HTML = {"text/html"}
MB = 1024 * 1024


def get(url: str, max_bytes: int = 2 * MB):
    return fetch(url, accept=HTML, max_bytes=max_bytes)


def test_a_page_on_the_allowed_loopback_is_fetched_with_its_own_host_header(site):
    page = get(site.url("/recipe"))

    assert page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert b"Plum cake" in page.body
    assert site.requests == [("/recipe", f"127.0.0.1:{site.port}")]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http:// and https:// addresses can be imported."),
        ("ftp://example.com/recipe", "Only http:// and https:// addresses can be imported."),
        ("gopher://example.com/", "Only http:// and https:// addresses can be imported."),
        ("http://user:pw@example.com/", "Addresses with a user name or password"),
        ("http:///recipe", "This address has no host name."),
        ("http://example.com:99999/", "This address is not valid."),
    ],
)
def test_other_schemes_and_malformed_addresses_are_refused(url, message):
    with pytest.raises(FetchRefused, match=message):
        get(url)


PRIVATE = "This address is on a private network and cannot be imported."


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8000/",
        "http://[::1]/",
        "http://10.0.0.5/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a00:1::]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "http://[ff02::1]/",
    ],
)
def test_addresses_that_are_not_public_are_refused_without_the_test_setting(url):
    with pytest.raises(FetchRefused, match=PRIVATE):
        get(url)


def test_the_test_setting_allows_loopback_and_nothing_else(settings):
    settings.RECIPE_IMPORT_ALLOW_LOOPBACK = True

    with pytest.raises(FetchRefused, match=PRIVATE):
        get("http://10.0.0.5/")
    with pytest.raises(FetchRefused, match=PRIVATE):
        get("http://169.254.169.254/")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("::ffff:93.184.215.14", True),
        ("64:ff9b::5db8:d70e", True),
        ("192.0.2.1", False),
        ("198.18.0.1", False),
        ("fec0::1", False),
        ("ff0e::1", False),
    ],
)
def test_is_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(safe_fetch, "resolver", lambda host, port: ["10.1.2.3"])

    with pytest.raises(FetchRefused, match=PRIVATE):
        get("http://recipes.example/")


def test_a_name_is_refused_when_any_of_its_addresses_is_private(monkeypatch):
    monkeypatch.setattr(safe_fetch, "resolver", lambda host, port: ["93.184.215.14", "::1"])

    with pytest.raises(FetchRefused, match=PRIVATE):
        get("http://recipes.example/")


def test_a_name_that_does_not_resolve_is_refused(monkeypatch):
    def fail(host, port):
        raise OSError("NXDOMAIN")

    monkeypatch.setattr(safe_fetch, "resolver", fail)

    with pytest.raises(FetchRefused, match=r"This site's name could not be found\."):
        get("http://nowhere.example/")


def test_the_connection_goes_to_the_checked_address_not_to_a_second_lookup(site, monkeypatch):
    # DNS rebinding: the first answer is checked; a second lookup would say something else.
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    monkeypatch.setattr(safe_fetch, "resolver", lambda host, port: next(answers))

    page = get(f"http://rebind.example:{site.port}/recipe")

    assert b"Plum cake" in page.body
    assert site.requests == [("/recipe", f"rebind.example:{site.port}")]


def test_https_names_the_original_host_in_the_handshake(monkeypatch):
    seen: dict[str, Any] = {}

    class Pool:
        def __init__(self, host, port, **kwargs):
            seen.update(host=host, port=port, **kwargs)

        def urlopen(self, method, path, headers, **kwargs):
            seen["headers"] = headers
            raise urllib3.exceptions.NewConnectionError(cast(Any, None), "stop here")

    monkeypatch.setattr(safe_fetch, "resolver", lambda host, port: ["93.184.215.14"])
    monkeypatch.setattr(urllib3, "HTTPSConnectionPool", Pool)

    with pytest.raises(FetchRefused, match="could not be reached"):
        get("https://recipes.example/cake?x=1")

    assert seen["host"] == "93.184.215.14"
    assert seen["server_hostname"] == seen["assert_hostname"] == "recipes.example"
    assert seen["cert_reqs"] == "CERT_REQUIRED"
    assert seen["headers"]["Host"] == "recipes.example"


def test_a_redirect_is_followed_to_a_public_page(site):
    site.redirect("/old", "/recipe")

    assert get(site.url("/old")).url == site.url("/recipe")


def test_a_redirect_to_a_private_address_is_refused(site):
    site.redirect("/go", "http://10.0.0.1/admin")

    with pytest.raises(FetchRefused, match=PRIVATE):
        get(site.url("/go"))


def test_a_redirect_to_another_scheme_is_refused(site):
    site.redirect("/go", "file:///etc/passwd")

    with pytest.raises(FetchRefused, match="Only http:// and https://"):
        get(site.url("/go"))


def test_three_redirects_are_followed_and_a_fourth_is_refused(site):
    for n in range(4):
        site.redirect(f"/r{n}", f"/r{n + 1}")
    site.page("/r4", b"<html>end</html>")
    site.page("/r3-end", b"<html>end</html>")

    assert get(site.url("/r1")).url == site.url("/r4")
    with pytest.raises(FetchRefused, match="redirected more than 3 times"):
        get(site.url("/r0"))


def test_an_answer_larger_than_the_cap_is_refused_even_without_content_length(site):
    def send(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(3):
            handler.wfile.write(b"x" * MB)

    site.route("/chunked", send)
    site.page("/declared", b"x" * (2 * MB + 1))

    with pytest.raises(FetchRefused, match="larger than 2 MB"):
        get(site.url("/chunked"))
    with pytest.raises(FetchRefused, match="larger than 2 MB"):
        get(site.url("/declared"))
    assert len(get(site.url("/recipe")).body) < 2 * MB


def test_a_slow_drip_answer_is_cut_at_the_deadline(site, monkeypatch):
    from tests.importer.recipe_site import slow_body

    monkeypatch.setattr(safe_fetch, "TOTAL_SECONDS", 0.5)
    site.route("/slow", slow_body(0.1))

    with pytest.raises(FetchRefused, match=r"took longer than 0\.5 seconds"):
        get(site.url("/slow"))


def test_a_server_that_never_answers_is_cut(site, monkeypatch):
    import time

    monkeypatch.setattr(safe_fetch, "TOTAL_SECONDS", 0.5)
    site.route("/silent", lambda handler: time.sleep(2))

    with pytest.raises(FetchRefused, match=r"took longer than 0\.5 seconds"):
        get(site.url("/silent"))


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "image/svg+xml", ""])
def test_an_answer_of_another_type_is_refused(site, content_type):
    site.page("/other", b"<html></html>", content_type=content_type)

    with pytest.raises(FetchRefused, match=r"This address is not a web page\."):
        get(site.url("/other"))


def test_an_error_status_is_refused(site):
    with pytest.raises(FetchRefused, match=r"an error \(404\)"):
        get(site.url("/missing"))


def test_nothing_listening_is_refused(settings):
    settings.RECIPE_IMPORT_ALLOW_LOOPBACK = True

    with pytest.raises(FetchRefused, match="could not be reached"):
        get("http://127.0.0.1:9/")
