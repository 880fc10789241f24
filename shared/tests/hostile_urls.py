"""The test URLconf plus the deliberately fragile views the walker must find."""

from tests.urls import HOSTILE_ROUTES
from tests.urls import urlpatterns as base_patterns

urlpatterns = [*base_patterns, *HOSTILE_ROUTES]
