import json

import pytest

from recipes.structured_data import iso_duration, json_ld_script_content


@pytest.mark.parametrize(
    ("minutes", "duration"),
    [(0, "PT0M"), (5, "PT5M"), (60, "PT1H"), (95, "PT1H35M"), (2880, "PT48H")],
)
def test_iso_duration(minutes, duration):
    assert iso_duration(minutes) == duration


def test_script_content_escapes_what_could_close_the_script_element():
    data = {"name": "</script><!-- & -->"}

    content = json_ld_script_content(data)

    assert "<" not in content
    assert ">" not in content
    assert "&" not in content
    assert json.loads(content) == data
