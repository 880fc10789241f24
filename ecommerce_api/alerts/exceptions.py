"""What can go wrong when subscribing to an alert, in the domain's words (no HTTP here)."""


class ProductInStock(Exception):
    """The product can be ordered now: there is nothing to wait for."""


class NoEmailAddress(Exception):
    """The account has no e-mail address to send the alert to."""
