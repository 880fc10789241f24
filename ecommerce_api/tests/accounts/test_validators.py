"""A single line of plain text: no control or invisible format character gets through."""

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import validate_single_line
from tests.factories import CategoryFactory, ProductFactory

REFUSED = {
    "carriage return": "Kettle\rBcc: x@example.com",
    "line feed": "Kettle\nSubject: free",
    "tab": "Kettle\tSteel",
    "NUL": "Kettle\x00",
    "escape": "Kettle\x1b[31m",
    "right-to-left override": "Kettle \u202egpj.exe",
    "zero-width space": "Ket\u200btle",
    "byte order mark": "\ufeffKettle",
    "line separator": "Kettle\u2028Steel",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_control_and_format_characters_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(text)

    assert refused.value.code == "control_character"


@pytest.mark.parametrize(
    "text",
    [
        "Crème brûlée pan",
        "Kettle 1.7 l (steel)",
        "電気ケトル",
        "Mug ☕",
        "\U0001f469\u200d\U0001f373 apron",  # a cook: woman + zero-width joiner + frying pan
        "\u0646\u0627\u0646\u200c\u0647\u0627",  # Persian "breads", with a zero-width non-joiner
    ],
)
def test_ordinary_text_in_any_script_is_accepted(text):
    validate_single_line(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("instance", "field"),
    [
        (lambda: ProductFactory.build(category=CategoryFactory()), "name"),
        (CategoryFactory.build, "name"),
    ],
    ids=["product", "category"],
)
def test_product_and_category_names_are_single_lines(instance, field):
    obj = instance()
    setattr(obj, field, "Kettle\r\nBcc: x@example.com")

    with pytest.raises(ValidationError) as refused:
        obj.full_clean()

    assert list(refused.value.message_dict) == [field]


@pytest.mark.django_db
def test_a_description_may_have_several_lines():
    product = ProductFactory.build(category=CategoryFactory(), description="Steel.\nHolds 1.7 l.")

    product.full_clean()
