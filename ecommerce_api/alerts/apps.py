from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "back-in-stock alerts"

    def ready(self) -> None:
        from alerts import receivers
        from catalog.signals import stock_replenished

        # Sent inside the transaction that raised the stock, so the e-mails are queued with it.
        stock_replenished.connect(receivers.notify_subscribers, dispatch_uid="alerts.notify")
