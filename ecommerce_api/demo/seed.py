"""Demo data for a local run: every function is idempotent, so a second load creates nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from catalog.models import Category, Product

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented in the README, local demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", is_staff=True, is_superuser=True),
    DemoAccount("customer"),
)
DEMO_CUSTOMER = "customer"

# Category -> (product name, price, stock). Stock 0 marks the sold-out ones; names ending in
# "(discontinued)" are inactive, so the API must never show them.
DEMO_CATALOGUE: dict[str, list[tuple[str, str, int]]] = {
    "Phones": [
        ("Pixelon 8", "699.00", 25),
        ("Pixelon 8 Pro", "999.00", 8),
        ("Nimbus Mini", "429.00", 0),
        ("Nimbus Max", "1099.00", 3),
        ("Orbit Flip", "899.00", 12),
        ("Orbit Fold", "1799.00", 1),
        ("Lumo A5", "199.00", 40),
        ("Lumo A7", "279.00", 0),
        ("Kestrel X", "549.00", 15),
        ("Kestrel Lite (discontinued)", "349.00", 5),
    ],
    "Laptops": [
        ("Aero 13", "1199.00", 10),
        ("Aero 15", "1499.00", 6),
        ("Forge 16 Gaming", "2199.00", 2),
        ("Slate Chromebook", "329.00", 30),
        ("Slate Chromebook Plus", "449.00", 0),
        ("Quill 14 Business", "1349.00", 9),
        ("Quill 14 Touch", "1449.00", 4),
        ("Atlas Workstation 17", "2899.00", 1),
        ("Pebble 11 Kids", "279.00", 18),
        ("Pebble 11 (discontinued)", "249.00", 0),
    ],
    "Audio": [
        ("Studio Headphones", "249.00", 20),
        ("Studio Headphones Wireless", "329.00", 0),
        ("Buds Pro", "179.00", 50),
        ("Buds Lite", "59.00", 75),
        ("Boom Speaker", "99.00", 14),
        ("Boom Speaker XL", "199.00", 0),
        ("Soundbar 5.1", "449.00", 5),
        ("Turntable Classic", "299.00", 3),
        ("Podcast Microphone", "129.00", 22),
        ("DAC Amplifier", "159.00", 7),
    ],
    "Wearables": [
        ("Pulse Watch 3", "299.00", 16),
        ("Pulse Watch 3 Titanium", "599.00", 2),
        ("Stride Band", "49.00", 60),
        ("Stride Band Pro", "89.00", 0),
        ("Vista Smart Glasses", "379.00", 4),
        ("Ring Tracker", "279.00", 9),
        ("Kids Watch", "79.00", 25),
        ("Cycling Computer", "199.00", 11),
        ("Dive Watch", "499.00", 0),
        ("Sleep Band", "129.00", 13),
    ],
    "Accessories": [
        ("USB-C Cable 1 m", "9.99", 200),
        ("USB-C Cable 2 m", "14.99", 150),
        ("65 W Charger", "39.00", 45),
        ("Wireless Charging Pad", "29.00", 0),
        ("Power Bank 20000", "49.00", 35),
        ("Laptop Sleeve 14", "24.90", 28),
        ("Phone Case Clear", "19.90", 90),
        ("Screen Protector", "12.90", 120),
        ("Bluetooth Mouse", "34.00", 0),
        ("Mechanical Keyboard", "119.00", 10),
    ],
}


def seed_account(account: DemoAccount) -> AbstractUser:
    """Create the account if it is missing; an existing one keeps its data and password."""
    user, created = get_user_model().objects.get_or_create(
        username=account.username,
        defaults={
            "email": f"{account.username}@example.com",
            "is_staff": account.is_staff,
            "is_superuser": account.is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_accounts() -> dict[str, AbstractUser]:
    return {account.username: seed_account(account) for account in DEMO_ACCOUNTS}


def seed_catalogue() -> list[Product]:
    """Create the missing categories and products; existing ones keep their stock and price
    (orders placed during a demo must not be undone by loading the data again)."""
    products = []
    for category_name, items in DEMO_CATALOGUE.items():
        category, _ = Category.objects.get_or_create(
            slug=slugify(category_name), defaults={"name": category_name}
        )
        for name, price, stock in items:
            product, _ = Product.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "category": category,
                    "name": name,
                    "description": f"{name}, from our {category_name.lower()} range.",
                    "price": Decimal(price),
                    "stock": stock,
                    "is_active": not name.endswith("(discontinued)"),
                },
            )
            products.append(product)
    return products


def seed_token(user: AbstractUser) -> Token:
    """The user's API token, created once and then kept (revoking it makes a new one)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token
