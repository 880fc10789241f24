from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "inbound"
    verbose_name = "Inbound e-mail"

    def ready(self) -> None:
        # anymail's inbound signal (the Mailgun webhook) feeds the same service as the pipe.
        # anymail.signals imports django.dispatch alone; the webhook's view (anymail's views,
        # requests) is imported by the URLconf at its first request.
        from anymail.signals import inbound

        from inbound.receivers import receive_from_anymail

        inbound.connect(receive_from_anymail, dispatch_uid="inbound.receive_from_anymail")
