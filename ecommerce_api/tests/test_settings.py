"""What the shop's settings make of the environment beyond the shared contract
(tests/test_contract.py runs shared.contract.settings: refusals, database, cache, queue, HSTS,
proxies and the lockout)."""

import pytest
from shared.settings_probe import Case, read_settings

from tests.processes import PROJECT_DIR

NAMES = ["TRUSTED_PROXY_COUNT", "REST_FRAMEWORK", "AXES_CLIENT_IP_CALLABLE"]
WINDOW = ["IDEMPOTENCY_REPLAY_WINDOW"]
ENVIRONMENTS = {
    "default": ({}, NAMES + WINDOW),
    "behind two proxies": ({"DJANGO_TRUSTED_PROXY_COUNT": "2"}, NAMES),
    "two-day window": ({"DJANGO_IDEMPOTENCY_WINDOW_HOURS": "48"}, WINDOW),
    "no window": ({"DJANGO_IDEMPOTENCY_WINDOW_HOURS": "0"}, WINDOW),
}


@pytest.fixture(scope="module")
def local():
    """The local settings under each environment above, read in one process."""
    cases = [Case("config.settings.local", env, names) for env, names in ENVIRONMENTS.values()]
    return dict(zip(ENVIRONMENTS, read_settings(PROJECT_DIR, cases), strict=True))


def test_the_trusted_proxy_count_reaches_the_throttles_and_the_lockout(local):
    for environment, count in (("default", 0), ("behind two proxies", 2)):
        settings = local[environment]
        assert settings["TRUSTED_PROXY_COUNT"] == count
        assert settings["REST_FRAMEWORK"]["NUM_PROXIES"] == count
        assert settings["AXES_CLIENT_IP_CALLABLE"] == "config.client_ip.client_ip"


def test_the_idempotency_replay_window_is_read_in_hours(local):
    assert local["default"]["IDEMPOTENCY_REPLAY_WINDOW"] == "1 day, 0:00:00"
    assert local["two-day window"]["IDEMPOTENCY_REPLAY_WINDOW"] == "2 days, 0:00:00"


def test_an_idempotency_replay_window_of_zero_is_refused(local):
    assert "DJANGO_IDEMPOTENCY_WINDOW_HOURS must be a positive number" in str(
        local["no window"].error
    )
