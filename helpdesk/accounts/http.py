"""The request of a page that needs a login, for the type checker.

``LoginRequiredMiddleware`` sends anonymous visitors to the login page before any view that is
not ``@login_not_required`` runs, so in those views ``request.user`` is always a ``User``. Such
views annotate their request with this type instead of re-checking at every use.
"""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
