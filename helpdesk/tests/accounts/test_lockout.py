"""The login lockout's rule that is the help desk's own; the lockout itself is the contract's.

Five failed password checks lock a username or an address out for fifteen minutes, counted in
the database, on the site's login, the admin's login and both "change password" forms, whatever
the forwarding headers say: ``shared.contract.lockout``, run here by tests/test_contract.py
(``TestLoginLockout``).
"""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


def test_a_username_longer_than_any_account_is_a_form_error_before_authenticating(client):
    """django-axes records the username in a 255-character column (PostgreSQL enforces it)."""
    response = client.post(
        "/accounts/login/", {"username": "x" * 5000, "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
