"""Background tasks of the accounts app.

The password reset page enqueues :func:`send_password_reset` for whatever address was typed and
answers at once, so the request does the same work whether or not an account has that address:
neither its answer nor its timing says which addresses are registered. The task does the
lookup, and queues the e-mail in the outbox only for a matching account.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django_tasks import task

from accounts.forms import PasswordResetForm


@task(queue_name=settings.TASKS_QUEUE_NAME)
def send_password_reset(*, email: str) -> int:
    """Queue a reset e-mail for each active account with address ``email``; how many.

    Links point to ``SITE_URL``, never to the Host header of the request that asked (which a
    client chooses: a poisoned link would send the token to an attacker's site).
    """
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    users = list(form.get_users(form.cleaned_data["email"]))
    if users:
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name="accounts/email/password_reset_subject.txt",
            email_template_name="accounts/email/password_reset.txt",
            html_email_template_name="accounts/email/password_reset.html",
        )
    return len(users)
