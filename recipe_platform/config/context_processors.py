"""The site frame's fixed links, reversed once per process instead of once per page.

``templates/base.html`` links to up to eleven pages on every response (the navigation, a cook's
menu, the logout form). ``{% url %}`` reverses each name on every render, through the
resolver's thread-local state: rendering the frame took 0.16 ms for a visitor and 0.34 ms for
a cook, and 0.07 / 0.13 ms with these links (issue 19). They take no arguments, so their paths
depend only on the URLconf, which is fixed once the process has started (nothing in the project
swaps ``urlconf`` per request or uses ``i18n_patterns``), and on the script prefix
(``SCRIPT_NAME``), which the cache is keyed by. ``tests/test_frame_links.py`` checks every
entry still equals ``reverse()``. The helpdesk keeps its frame's links the same way.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.urls import get_script_prefix, reverse

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.http import HttpRequest

#: Template key -> URL name of every link the frame shows (none take arguments).
FRAME_LINKS: Mapping[str, str] = MappingProxyType(
    {
        "recipes": "recipes:list",
        "top_rated": "community:top_rated",
        "my_recipes": "recipes:mine",
        "shopping_list": "shopping:list",
        "favourites": "community:favourites",
        "import": "importer:import",
        "admin": "admin:index",
        "logout": "logout",
        "share": "recipes:create",
        "login": "login",
        "signup": "signup",
    }
)


@lru_cache(maxsize=8)
def _frame_links(script_prefix: str) -> Mapping[str, str]:
    """The reversed links under one script prefix (``reverse()`` reads it from the thread).

    Bounded: the prefix comes from the server's configuration (``SCRIPT_NAME``), and a site has
    one or two of them, but nothing a visitor sends should grow a per-process cache.
    """
    return MappingProxyType({key: reverse(name) for key, name in FRAME_LINKS.items()})


def frame_links(request: HttpRequest) -> dict[str, Mapping[str, str]]:
    """Context processor: ``{{ frame_links.top_rated }}`` and the like, for ``base.html``."""
    return {"frame_links": _frame_links(get_script_prefix())}
