"""Reading ingredient lines and writing amounts (recipes/ingredients.py): pure functions."""

from fractions import Fraction as F

import pytest

from recipes.ingredients import (
    ParsedIngredient,
    QuantityError,
    System,
    amount,
    convert,
    format_quantity,
    item_key,
    line_text,
    parse_line,
    parse_lines,
    parse_quantity,
    quantity_text,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2 eggs", (F(2), None, "", "eggs", "")),
        ("200 g flour", (F(200), None, "g", "flour", "")),
        ("200g butter", (F(200), None, "g", "butter", "")),
        ("1.5 kg beef", (F(3, 2), None, "kg", "beef", "")),
        ("3/4 tsp salt", (F(3, 4), None, "tsp", "salt", "")),
        ("1 3/4 cups milk", (F(7, 4), None, "cup", "milk", "")),
        ("1 ½ cups flour", (F(3, 2), None, "cup", "flour", "")),
        ("1½ tbsp sugar", (F(3, 2), None, "tbsp", "sugar", "")),
        ("⅓ cup oil", (F(1, 3), None, "cup", "oil", "")),
        ("3\N{FRACTION SLASH}4 cup stock", (F(3, 4), None, "cup", "stock", "")),
        ("2-3 cloves garlic, crushed", (F(2), F(3), "clove", "garlic", "crushed")),
        ("2\N{EN DASH}3 apples", (F(2), F(3), "", "apples", "")),
        ("2 to 3 apples", (F(2), F(3), "", "apples", "")),
        ("a pinch of salt", (F(1), None, "pinch", "salt", "")),
        ("salt to taste", (None, None, "", "salt", "to taste")),
        ("salt and pepper, to taste", (None, None, "", "salt and pepper", "to taste")),
        ("1 onion (optional)", (F(1), None, "", "onion", "optional")),
        ("1 fl oz dark rum", (F(1), None, "fl_oz", "dark rum", "")),
        ("1 lb potatoes, peeled", (F(1), None, "lb", "potatoes", "peeled")),
        ("1 can chopped tomatoes", (F(1), None, "can", "chopped tomatoes", "")),
        ("grated cheese", (None, None, "", "grated cheese", "")),
        ("  lots   of   space  ", (None, None, "", "lots of space", "")),
    ],
)
def test_a_line_is_read_into_quantity_unit_item_and_note(line, expected):
    assert parse_line(line) == ParsedIngredient(*expected)


@pytest.mark.parametrize(
    "line",
    [
        "Juice of 1 lemon",  # a number inside the item is the item's
        "0 g sugar",  # zero is no amount
        "3-2 eggs",  # a backward range
        "20000 g flour",  # more than 10,000
        "1/0 cup milk",
        "200 g",  # nothing left for an item
        "x" * 201,  # too long for an item column
    ],
)
def test_a_line_that_cannot_be_read_is_kept_whole_as_the_item(line):
    assert parse_line(line) == ParsedIngredient(None, None, "", line, "")


def test_blank_lines_are_skipped_and_the_order_kept():
    assert [row.item for row in parse_lines("2 eggs\n\n  \nflour\r\nmilk")] == [
        "eggs",
        "flour",
        "milk",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", (None, None)), ("2", (F(2), None)), ("1 ½", (F(3, 2), None)), ("2-3", (F(2), F(3)))],
)
def test_a_quantity_field_is_read(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", ["0", "two", "1/0", "10001", "3-2", "1.0001", "½ ½", "1e3"])
def test_a_quantity_field_refuses_what_is_no_amount(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (F(1, 3), "cup", "⅓"),
        (F(1, 2), "", "½"),
        (F(5, 4), "cup", "1 ¼"),
        (F(4, 3), "", "1 ⅓"),
        (F(3), "", "3"),
        (F(7, 8), "", "⅞"),
        (F(1, 16), "tsp", "1/16"),
        (F(99, 100), "", "1"),  # the nearest friendly fraction is a whole one
        (F(21, 2), "oz", "10 ½"),
        (F(45, 2), "", "22"),  # above twenty, a whole number (rounded half to even)
        (F(250), "g", "250"),
        (F(2501, 10), "g", "250"),
        (F(3, 2), "g", "1.5"),
        (F(3, 2), "kg", "1.5"),
        (F(1234, 1000), "l", "1.23"),
    ],
)
def test_amounts_are_written_as_a_cook_reads_them(value, unit, text):
    assert format_quantity(value, unit) == text


@pytest.mark.parametrize(
    ("value", "unit", "system", "expected_unit", "expected_text"),
    [
        (F(300), "g", System.US, "oz", "10 ½"),
        (F(600), "g", System.US, "lb", "1 ⅓"),
        (F(10), "ml", System.US, "tsp", "2"),
        (F(45), "ml", System.US, "tbsp", "3"),
        (F(120), "ml", System.US, "cup", "½"),
        (F(2), "l", System.US, "cup", "8 ½"),
        (F(1), "cup", System.METRIC, "ml", "237"),
        (F(5), "cup", System.METRIC, "l", "1.18"),
        (F(1), "lb", System.METRIC, "g", "454"),
        (F(3), "lb", System.METRIC, "kg", "1.36"),
        (F(2), "fl_oz", System.METRIC, "ml", "59"),
        (F(200), "g", System.METRIC, "g", "200"),  # already metric: as written
        (F(2), "cup", System.US, "cup", "2"),
        (F(3), "clove", System.METRIC, "clove", "3"),  # not a mass or a volume
    ],
)
def test_mass_and_volume_convert_between_metric_and_us(
    value, unit, system, expected_unit, expected_text
):
    low, high, converted_unit = convert(value, None, unit, system)

    assert converted_unit == expected_unit
    assert high is None
    assert format_quantity(low, converted_unit) == expected_text


def test_a_range_converts_in_the_unit_of_its_lower_bound():
    low, high, unit = convert(F(400), F(500), "g", System.US)

    assert unit == "oz"
    assert high is not None
    assert (format_quantity(low, unit), format_quantity(high, unit)) == ("14", "17 ½")


def test_scaling_is_exact_so_thirds_add_up():
    scaled = amount(
        quantity=F(1, 3), quantity_max=None, unit="cup", item="oil", note="", factor=F(3)
    )

    assert str(scaled) == "1 cup oil"
    assert scaled.low == 1


def test_a_scaled_range_and_plurals():
    scaled = amount(
        quantity=F(1),
        quantity_max=F(2),
        unit="clove",
        item="garlic",
        note="crushed",
        factor=F(3, 2),
    )

    assert str(scaled) == "1 ½\N{EN DASH}3 cloves garlic, crushed"


def test_an_amountless_row_stays_so_whatever_the_scale():
    scaled = amount(
        quantity=None, quantity_max=None, unit="", item="salt", note="to taste", factor=F(5)
    )

    assert str(scaled) == "salt, to taste"


@pytest.mark.parametrize(
    "row",
    [
        ParsedIngredient(F(5, 16), None, "cup", "flour", "sifted"),
        ParsedIngredient(F(3, 2), F(5, 2), "fl_oz", "rum", ""),
        ParsedIngredient(F(7, 3), None, "", "eggs", "beaten, at room temperature"),
        ParsedIngredient(None, None, "", "Juice of 1 lemon", ""),
        ParsedIngredient(F(1, 10), None, "g", "saffron", ""),
    ],
)
def test_an_exact_line_reads_back_to_the_same_row(row):
    assert parse_line(line_text(*row.__dict__.values())) == row


def test_the_form_writes_stored_quantities_exactly():
    assert quantity_text(F(3, 2), None) == "1 ½"
    assert quantity_text(F(5, 16), None) == "5/16"
    assert quantity_text(F(2), F(3)) == "2-3"
    assert quantity_text(None, None) == ""


@pytest.mark.parametrize(
    ("first", "second"),
    [("Eggs", "egg"), ("Tomatoes", "tomato"), ("berries", "Berry"), ("red  onions", "Red onion")],
)
def test_items_that_differ_only_in_case_spacing_or_plural_share_a_key(first, second):
    assert item_key(first) == item_key(second)


@pytest.mark.parametrize(
    ("first", "second"), [("red onion", "onion"), ("lemon", "lemon zest"), ("glass", "gla")]
)
def test_items_a_cook_tells_apart_keep_their_own_keys(first, second):
    assert item_key(first) != item_key(second)
