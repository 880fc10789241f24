"""Food "photos" for the demo recipes, drawn with Pillow: no downloads, no licences to check.

Each picture is seeded by the recipe's title, so the same recipe always gets the same picture.
"""

from __future__ import annotations

import io
import random
from typing import Literal, cast

from PIL import Image, ImageDraw, ImageFilter

Dish = Literal["bowl", "plate", "stack", "slice", "salad", "glass"]
Colour = tuple[int, int, int]

SIZE = (1200, 900)
_TABLES: list[Colour] = [(193, 154, 107), (120, 86, 60), (222, 214, 200), (86, 99, 110)]


def draw_dish(title: str, dish: Dish, colours: list[Colour]) -> bytes:
    """A JPEG of a dish seen from above on a table, in the given food colours."""
    rng = random.Random(title)  # noqa: S311 - artwork, not security
    width, height = SIZE
    image = Image.new("RGB", SIZE, rng.choice(_TABLES))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 60):  # table boards
        shade = rng.randint(-12, 12)
        base = cast("tuple[int, int, int]", image.getpixel((0, 0)))  # an RGB image
        draw.rectangle((0, y, width, y + 58), fill=tuple(max(0, c + shade) for c in base))

    centre_x, centre_y = width // 2 + rng.randint(-60, 60), height // 2 + rng.randint(-30, 30)
    radius = 250 if dish == "glass" else 380
    shadow = Image.new("L", SIZE, 0)
    ImageDraw.Draw(shadow).ellipse(_box(centre_x + 18, centre_y + 24, radius), fill=110)
    image.paste((0, 0, 0), mask=shadow.filter(ImageFilter.GaussianBlur(28)))

    if dish == "glass":
        draw.ellipse(_box(centre_x, centre_y, radius), fill=(235, 240, 242))
        draw.ellipse(_box(centre_x, centre_y, 215), fill=colours[0])
        _scatter(draw, rng, centre_x, centre_y, 170, colours[1:], count=24, size=(12, 26))
    else:
        draw.ellipse(_box(centre_x, centre_y, radius), fill=(246, 244, 238))
        draw.ellipse(_box(centre_x, centre_y, 330), fill=(252, 251, 248))
        _DRAWERS[dish](draw, rng, centre_x, centre_y, colours)

    if rng.random() < 0.8:  # a sprig of herbs beside the plate
        leaf_x, leaf_y = rng.choice([(140, 150), (1060, 760), (1050, 140), (150, 760)])
        _scatter(draw, rng, leaf_x, leaf_y, 60, [(76, 132, 60), (98, 156, 72)], 9, (16, 30))

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def _box(x: int, y: int, radius: int) -> tuple[int, int, int, int]:
    return (x - radius, y - radius, x + radius, y + radius)


def _scatter(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    x: int,
    y: int,
    spread: int,
    colours: list[Colour],
    count: int,
    size: tuple[int, int],
) -> None:
    for _ in range(count):
        dx, dy = rng.randint(-spread, spread), rng.randint(-spread, spread)
        if dx * dx + dy * dy > spread * spread:
            continue
        rx, ry = rng.randint(*size), rng.randint(*size)
        draw.ellipse((x + dx - rx, y + dy - ry, x + dx + rx, y + dy + ry), fill=rng.choice(colours))


def _bowl(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, c: list[Colour]) -> None:
    draw.ellipse(_box(x, y, 290), fill=(214, 206, 196))
    draw.ellipse(_box(x, y, 255), fill=c[0])
    _scatter(draw, rng, x, y, 200, c[1:], count=40, size=(10, 24))


def _plate(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, c: list[Colour]) -> None:
    draw.ellipse((x - 230, y - 120, x + 60, y + 150), fill=c[0])
    draw.rounded_rectangle((x - 20, y - 170, x + 230, y + 40), radius=60, fill=c[1 % len(c)])
    _scatter(draw, rng, x + 80, y + 150, 110, c[2:] or c, count=30, size=(14, 30))


def _stack(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, c: list[Colour]) -> None:
    for layer in range(5):
        offset = 40 - layer * 16
        draw.ellipse((x - 230, y - 170 + offset, x + 230, y + 150 + offset), fill=c[0])
        draw.ellipse((x - 222, y - 176 + offset, x + 222, y + 138 + offset), fill=c[1 % len(c)])
    _scatter(draw, rng, x, y - 30, 150, c[2:] or c, count=22, size=(12, 24))


def _slice(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, c: list[Colour]) -> None:
    draw.polygon([(x - 200, y + 170), (x + 230, y + 120), (x - 40, y - 230)], fill=c[0])
    draw.polygon([(x - 200, y + 170), (x + 230, y + 120), (x + 200, y + 80)], fill=c[1 % len(c)])
    _scatter(draw, rng, x - 10, y - 10, 120, c[2:] or c, count=14, size=(14, 26))


def _salad(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, c: list[Colour]) -> None:
    _scatter(draw, rng, x, y, 260, [c[0], (96, 160, 70), (130, 180, 80)], 140, (22, 46))
    _scatter(draw, rng, x, y, 230, c[1:] or c, count=40, size=(16, 30))


_DRAWERS = {"bowl": _bowl, "plate": _plate, "stack": _stack, "slice": _slice, "salad": _salad}
