import pytest

from config import composed


@pytest.fixture
def nothing_composed_yet():
    """No statement kept from an earlier test (``config.composed``), and none left for a later
    one: each test composes its shapes itself."""
    composed.forget()
    yield
    composed.forget()
