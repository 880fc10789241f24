"""Signals the catalogue sends about its products, for apps it must not depend on.

``stock_replenished`` is sent, inside the transaction that raised the stock, with the ids of the
products whose stock went up (an admin restock, a cancelled order). The back-in-stock alerts
(``alerts.apps``) listen, so their e-mails commit or roll back with the stock change; the
catalogue and the orders never import the alerts.
"""

from django.dispatch import Signal

#: Sent with ``sender=Product`` and ``product_ids`` (a list of ints).
stock_replenished = Signal()
