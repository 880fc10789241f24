import pytest

from recipes.cards import duration


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0 min"), (45, "45 min"), (60, "1 h"), (90, "1 h 30 min")]
)
def test_duration_reads_like_a_cookbook(minutes, text):
    assert duration(minutes) == text
