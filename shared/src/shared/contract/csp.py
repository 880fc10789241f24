"""A strict Content-Security-Policy (django-csp) on every HTML page, and templates that keep it.

Only the site's own files may run or style a page: no ``'unsafe-inline'`` or ``'unsafe-eval'``,
an inline script or style only with the response's nonce, nothing may frame a page, forms post
only here. The policy is written out below, directive by directive, as the READMEs state it,
never read back from the settings: a change to it must be a change to this contract too.
django-csp writes the directives in no fixed order, so the header is compared as a mapping.

Each project's own tests add the pages only it has and what its policy allows on top (a nonce
a page uses, a media domain); its browser tests fail on any violation Chromium reports.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from django.http.response import HttpResponseBase
from django.test import Client

from shared.contract import Deployment

#: The policy, directive by directive, as every project's README states it.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_OR_STYLE_TAG = re.compile(r"<(?:script|style)\b[^>]*>", re.IGNORECASE)


def policy_of(response: HttpResponseBase) -> dict[str, str]:
    """The response's policy as ``{directive: sources}``."""
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, _, sources = directive.strip().partition(" ")
        policy[name] = sources
    return policy


def _markup(template: Path) -> str:
    """The template as a browser could receive it: its ``{# #}`` and ``{% comment %}`` never are."""
    return TEMPLATE_COMMENT.sub("", template.read_text(encoding="utf-8"))


def _templates(deployment: Deployment) -> list[Path]:
    templates = sorted((deployment.project_dir / "templates").rglob("*.html"))
    assert templates, "no templates found: the scan below would prove nothing"
    return templates


@pytest.mark.django_db
class ContentSecurityPolicyContract:
    """Subclass as ``TestContentSecurityPolicy`` beside a ``deployment`` fixture."""

    def test_the_login_page_carries_exactly_the_documented_policy(
        self, deployment: Deployment, client: Client
    ) -> None:
        response = client.get(deployment.login_url)

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert policy_of(response) == POLICY

    @pytest.mark.parametrize(
        "path", ["/admin/login/", "/admin/", "/admin/password_change/", "/admin/auth/group/add/"]
    )
    def test_the_admins_pages_carry_the_policy(
        self, path: str, client: Client, superuser: AbstractUser
    ) -> None:
        if path != "/admin/login/":
            client.force_login(superuser)

        response = client.get(path)

        assert response.status_code == 200
        assert policy_of(response) == POLICY

    def test_the_lockout_page_carries_the_policy(
        self, deployment: Deployment, client: Client, user: AbstractUser
    ) -> None:
        for _ in range(5):
            response = client.post(
                deployment.login_url, {"username": user.username, "password": "wrong"}
            )

        assert response.status_code == 429
        assert policy_of(response) == POLICY

    def test_a_refused_csrf_check_carries_the_policy_and_no_inline_style(
        self, deployment: Deployment, user: AbstractUser
    ) -> None:
        """Django's own CSRF failure page styles itself inline; each project replaces it."""
        browser = Client(enforce_csrf_checks=True)

        response = browser.post(deployment.login_url, {"username": user.username, "password": "x"})

        assert response.status_code == 403
        assert b"<style" not in response.content
        assert policy_of(response) == POLICY

    # --- The templates stay within the policy -------------------------------------------------

    def test_no_template_has_a_style_attribute_or_an_inline_event_handler(
        self, deployment: Deployment
    ) -> None:
        offending = [
            str(template.relative_to(deployment.project_dir))
            for template in _templates(deployment)
            if STYLE_ATTRIBUTE.search(_markup(template)) or EVENT_HANDLER.search(_markup(template))
        ]

        assert offending == []

    def test_every_inline_script_or_style_in_the_templates_carries_the_nonce(
        self, deployment: Deployment
    ) -> None:
        offending = [
            f"{template.relative_to(deployment.project_dir)}: {tag}"
            for template in _templates(deployment)
            for tag in SCRIPT_OR_STYLE_TAG.findall(_markup(template))
            if "src=" not in tag and "nonce=" not in tag
        ]

        assert offending == []
