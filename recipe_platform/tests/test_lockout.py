"""The login lockout's rule that is the recipe platform's own; the lockout itself is the
contract's.

Five failed password checks lock a username or an address out for fifteen minutes, counted in
the database, on the site's login, the admin's login and the admin's "change password", whatever
the forwarding headers say: ``shared.contract.lockout``, run here by tests/test_contract.py
(``TestLoginLockout``).
"""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_username_longer_than_any_accounts_is_a_form_error_before_authenticating(client, url):
    """django-axes records the username in a 255-character column (PostgreSQL enforces it)."""
    response = client.post(url, {"username": "x" * 5000, "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
