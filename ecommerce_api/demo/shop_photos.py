"""Product photos and a filled cart for the demo: the catalogue as a shop app shows it.

The "photos" are drawn with Pillow (no downloads, no licences to check) and go through the same
pipeline as a photo staff upload in the admin (``catalog.images.clean_upload``), so the demo
shows the real sizes, URLs and ordering. Idempotent like the rest of the demo data.
"""

from __future__ import annotations

import io
import random
from functools import cache
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from cart.models import CartLine
from cart.services import add_to_cart
from catalog.images import clean_upload
from catalog.models import Product, ProductImage

if TYPE_CHECKING:
    from accounts.models import User

# Per category: background and object colours, and the object's shape.
_STYLES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], str]] = {
    "phones": ((226, 232, 240), (30, 41, 59), "slab"),
    "laptops": ((237, 233, 254), (76, 29, 149), "laptop"),
    "audio": ((254, 243, 199), (146, 64, 14), "circle"),
    "wearables": ((220, 252, 231), (22, 101, 52), "band"),
    "accessories": ((252, 231, 243), (157, 23, 77), "box"),
}
_DEFAULT_STYLE = ((241, 245, 249), (51, 65, 85), "box")
#: How many products get photos: the first by name (the API's default order), so the first
#: page shows them; the others show that a product may have none. Each photo costs a fraction
#: of a second (drawing, the upload pipeline and three sizes), so not all fifty.
PHOTOGRAPHED = 10
#: Products shown with a second photo (a side view), to show ordering and the primary flag.
SECOND_PHOTO = frozenset({"aero-13", "buds-pro"})
#: The demo customer's cart: product slug -> quantity (less where the stock is lower).
DEMO_CART = {"buds-pro": 2, "usb-c-cable-1-m": 3, "orbit-fold": 1}


@cache
def _clean_photo(slug: str, category_slug: str, view: int) -> bytes:
    """Drawn and cleaned once per process (a test loads the demo many times)."""
    drawing = draw_product(slug, category_slug, view=view)
    return clean_upload(ContentFile(drawing, name="demo.jpg")).content


def draw_product(slug: str, category_slug: str, *, view: int = 0) -> bytes:
    """An 800 x 600 JPEG "photo" of a product: its category's shape on a soft background."""
    background, colour, shape = _STYLES.get(category_slug, _DEFAULT_STYLE)
    rng = random.Random(f"{slug}-{view}")  # noqa: S311 (artwork, not security)
    image = Image.new("RGB", (1200, 900), background)
    draw = ImageDraw.Draw(image)
    for _ in range(12):  # a few soft dots, so each product looks a little different
        x, y, r = rng.randrange(1200), rng.randrange(900), rng.randrange(20, 90)
        tint = tuple(min(255, c + rng.randrange(5, 20)) for c in background)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tint)
    cx, cy = 600 + (140 if view else 0), 450
    if shape == "slab":
        draw.rounded_rectangle((cx - 150, cy - 300, cx + 150, cy + 300), 40, fill=colour)
        draw.rounded_rectangle((cx - 125, cy - 260, cx + 125, cy + 240), 20, fill=background)
    elif shape == "laptop":
        draw.rectangle((cx - 330, cy - 230, cx + 330, cy + 150), fill=colour)
        draw.rectangle((cx - 300, cy - 200, cx + 300, cy + 120), fill=background)
        draw.polygon(
            [
                (cx - 400, cy + 160),
                (cx + 400, cy + 160),
                (cx + 450, cy + 220),
                (cx - 450, cy + 220),
            ],
            fill=colour,
        )
    elif shape == "circle":
        draw.ellipse((cx - 260, cy - 260, cx + 260, cy + 260), fill=colour)
        draw.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), fill=background)
    elif shape == "band":
        draw.rounded_rectangle((cx - 70, cy - 380, cx + 70, cy + 380), 60, fill=colour)
        draw.rounded_rectangle((cx - 160, cy - 160, cx + 160, cy + 160), 50, fill=colour)
        draw.rounded_rectangle((cx - 120, cy - 120, cx + 120, cy + 120), 30, fill=background)
    else:
        draw.rounded_rectangle((cx - 260, cy - 200, cx + 260, cy + 200), 30, fill=colour)
    buffer = io.BytesIO()
    image.resize((800, 600), Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def seed_product_photos(products: list[Product]) -> int:
    """Give the first :data:`PHOTOGRAPHED` active products by name a photo if they have none
    (two for :data:`SECOND_PHOTO`); returns how many photos were made."""
    chosen = sorted((p for p in products if p.is_active), key=lambda p: (p.name, p.pk))
    chosen = chosen[:PHOTOGRAPHED]
    with_photos = set(
        ProductImage.objects.filter(product__in=chosen).values_list("product_id", flat=True)
    )
    made = 0
    for product in chosen:
        if product.pk in with_photos:
            continue
        views = 2 if product.slug in SECOND_PHOTO else 1
        for view in range(views):
            content = _clean_photo(product.slug, product.category.slug, view)
            image = ProductImage(
                product=product,
                position=view,
                is_primary=view == 0,
                alt_text=f"{product.name}, {'side' if view else 'front'} view",
            )
            image.image.save("demo.webp", ContentFile(content), save=False)
            image.save()
            made += 1
    return made


def seed_cart(*, customer: User) -> int:
    """Fill the customer's cart with :data:`DEMO_CART` if it is empty; returns the lines added."""
    if CartLine.objects.filter(cart__customer=customer).exists():
        return 0
    products = Product.objects.active().filter(slug__in=DEMO_CART)
    for product in products.filter(stock__gt=0).order_by("name"):
        quantity = min(DEMO_CART[product.slug], product.stock)
        add_to_cart(customer=customer, product_id=product.pk, quantity=quantity)
    return CartLine.objects.filter(cart__customer=customer).count()
