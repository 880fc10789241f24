"""Inbound e-mail webhooks (``/inbound/...``); the MTA pipe is ``manage.py receive_email``."""

from django.urls import path

from inbound.webhooks import MailgunInboundView

app_name = "inbound"

urlpatterns = [
    # Mailgun route action: forward("https://<host>/inbound/mailgun/mime/") for the raw MIME
    # (parsed by our own parser), or forward(".../inbound/mailgun/") for the fully-parsed form.
    path("mailgun/", MailgunInboundView.as_view(), name="mailgun"),
    path("mailgun/mime/", MailgunInboundView.as_view(), name="mailgun_mime"),
]
