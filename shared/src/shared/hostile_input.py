"""The contract every project runs: no URL, parameter, form field or header gives a 5xx.

``find_server_errors(client)`` walks every named URL pattern of the project's URLconf, the admin's
included, and sends what a hostile or careless client would: integers past 64 bits, numbers
Python's ``int()`` accepts but a database does not (``"1_0"``, ``"٣"``), floats that overflow, NUL
bytes, long strings, impossible dates. The values go

- into every path parameter the pattern's converter accepts (a value a converter refuses never
  reaches a view, so it is not sent);
- into every query name the page reads. The candidates are the names the project lists, common
  list names (``page``, ``q``, ``sort``...), the names of every ``method="get"`` form on the page
  and, on admin changelists, the ``date_hierarchy`` year/month/day, ``list_filter`` lookups,
  ordering, page and search parameters. One probe request carries them all and records which
  names the request looks up in ``request.GET`` (middleware, view, forms, filters, templates):
  a name nobody reads cannot fail, so it is not walked, and a name read that no list named (a
  ``next``, a ``format``) is walked too. A request that reads the query as a whole (iterates it,
  copies it, re-encodes it or takes the full path) has every candidate walked;
- into every field of every ``method="post"`` form the page shows;
- into the headers a client controls (forwarding, conditional requests, languages, tokens);
- as the methods no page of a site is written for (``OPTIONS``, an unknown one), on
  every path: whatever a view answers (its ``Allow`` list, a 405), it is never a crash.

Each request that answers 500 or more becomes one line of the result, so a failing test names
every fault at once. The client must not re-raise view exceptions (see :func:`client_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import import_module
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import Model
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as HttpResponse
    from django.urls import URLPattern, URLResolver

#: Values that break a naive ``int()``/``float()``/``date()`` or a database's integer range.
HOSTILE_VALUES: tuple[str, ...] = (
    str(2**64),
    str(-(2**63) - 1),
    "1" + "0" * 30,
    "1e309",
    "NaN",
    "-1",
    "٣",
    "1_0",
    "x" * 5000,
    "a\x00b",
    "' OR 1=1--",
    "2024-13-45",
)
#: A shorter list for the many query names of admin changelists: the overflow and parse cases.
NUMERIC_VALUES: tuple[str, ...] = (str(2**64), "1" + "0" * 30, "1e309", "-1", "٣", "a\x00b")
#: Query names most list pages use, tried on every page that answers 200.
COMMON_QUERY_NAMES: tuple[str, ...] = ("page", "p", "q", "o", "sort", "ordering", "page_size")
#: Methods sent to every path with an empty body: ``OPTIONS`` runs a view's own answer (DRF's
#: metadata, rendered by the view's renderers); a class-based view refuses an unknown one with
#: a 405, a function view may answer it as it answers a GET.
ODD_METHODS: tuple[str, ...] = ("OPTIONS", "PROPFIND")
#: Client-controlled headers, as WSGI ``environ`` keys.
HOSTILE_HEADERS: tuple[str, ...] = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_REFERER",
    "HTTP_ORIGIN",
    "HTTP_RANGE",
)


class HostileClient:
    """A test client that logs its user back in after each request that is not a GET, so a
    logout ends no walk."""

    def __init__(self, client: Client, user: AbstractBaseUser | None) -> None:
        self.client = client
        self.user = user

    def get(self, path: str, **extra: str) -> HttpResponse:
        return self.client.get(path, headers=None, **extra)  # type: ignore[arg-type] # WSGI environ keys

    def send(self, method: str, path: str) -> HttpResponse:
        """A request with ``method`` and no body."""
        return self._logged_in_again(self.client.generic(method, path))

    def post(self, path: str, data: dict[str, str]) -> HttpResponse:
        return self._logged_in_again(self.client.post(path, data))

    def _logged_in_again(self, response: HttpResponse) -> HttpResponse:
        """Whatever the request did to the session (a logout), the walk goes on as its user.

        The session is read back, and the user logged in again only when it no longer holds
        them. Logging in after every request wrote the session, the user's ``last_login`` and,
        with django-axes, an access-log row each time: a walk left hundreds of those rows,
        and the access log's admin changelist, rendering them, became its slowest page.
        """
        from django.conf import settings
        from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY

        # Read without creating one: the client's ``session`` saves a new session, and sets
        # its cookie, for a client that has none (an anonymous walker).
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        engine = import_module(settings.SESSION_ENGINE)
        session = engine.SessionStore(cookie.value) if cookie and cookie.value else {}
        if self.user is None:
            if SESSION_KEY in session:
                self.client.logout()
            return response
        pk = self.user._meta.pk.value_to_string(self.user)
        if session.get(SESSION_KEY) == pk and (
            session.get(HASH_SESSION_KEY) == self.user.get_session_auth_hash()
        ):
            return response
        # The request may have changed the password (the session then holds the new hash):
        # log in with the user as the database has it, or the next request logs them out.
        self.user.refresh_from_db()
        self.client.force_login(self.user)
        return response


def client_for(user: AbstractBaseUser | None) -> HostileClient:
    """A client logged in as ``user`` (anonymous for None) that answers a view's crash with 500."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return HostileClient(client, user)


@dataclass
class _Form:
    method: str
    action: str
    fields: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    """Collects every form's method, action and field names (file inputs and buttons left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(
                _Form(attributes.get("method", "get").lower(), attributes.get("action", ""))
            )
        elif tag in {"input", "select", "textarea"} and self.forms:
            kind = attributes.get("type", "text").lower()
            name = attributes.get("name", "")
            if name and name != "csrfmiddlewaretoken" and kind not in {"file", "submit", "image"}:
                self.forms[-1].fields.append(name)


def _forms(response: HttpResponse) -> list[_Form]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _FormParser()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.forms


def _named_patterns(
    patterns: Sequence[URLPattern | URLResolver], namespace: str = "", params: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Yield ``(namespaced name, parameter names)`` of every named pattern, nested ones too."""
    from django.urls import URLResolver

    for pattern in patterns:
        route = pattern.pattern
        own = tuple(getattr(route, "converters", {}) or route.regex.groupindex)
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, prefix, params + own)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", params + own


def _urls_for(name: str, params: tuple[str, ...], values: Iterable[str]) -> Iterator[str]:
    from django.urls import NoReverseMatch, reverse

    if not params:
        try:
            yield reverse(name)
        except NoReverseMatch:
            return
        return
    for value in values:
        try:
            yield reverse(name, kwargs=dict.fromkeys(params, value))
        except NoReverseMatch:
            continue  # the converter refuses the value, so no request could carry it to the view


@dataclass
class _AdminPage:
    """An admin changelist or add form: the query names it defines, and its model's fields."""

    names: list[str]
    model: Any

    def interprets(self, name: str) -> bool:
        """Whether the page reads ``name``'s value: its own name or a field (lookup).

        Any other name goes unread, whatever its value: a changelist refuses it (``?e=1``), an
        add form takes initial values for its model's fields only.
        """
        from django.core.exceptions import FieldDoesNotExist

        if name in self.names:
            return True
        try:
            self.model._meta.get_field(name.split("__")[0])
        except FieldDoesNotExist:
            return False
        return True


def _admin_pages() -> dict[str, _AdminPage]:
    """Each registered ModelAdmin's changelist and add form, by URL."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    pages: dict[str, _AdminPage] = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        try:
            changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        except NoReverseMatch:
            continue
        names = ["o", "p", "q", "all", "_facets", "_to_field"]
        if hierarchy := model_admin.date_hierarchy:
            names += [f"{hierarchy}__year", f"{hierarchy}__month", f"{hierarchy}__day"]
        for entry in model_admin.list_filter:
            target = entry[0] if isinstance(entry, tuple | list) else entry
            if isinstance(target, str):
                names += [f"{target}__exact", f"{target}__id__exact", f"{target}__isnull"]
                names += [f"{target}__gte", f"{target}__lt"]
            elif parameter := getattr(target, "parameter_name", None):
                names.append(parameter)
        pages[changelist] = _AdminPage(names, model)
        pages[add] = _AdminPage(["_changelist_filters", "_popup", "_to_field"], model)
    return pages


def find_server_errors(
    client: HostileClient,
    *,
    query_names: Iterable[str] = (),
    skip_paths: Iterable[str] = ("/static/", "/media/"),
    shard: tuple[int, int] = (0, 1),
) -> list[str]:
    """Send hostile values everywhere a client can put them; list every request answered >= 500.

    ``shard=(index, count)`` walks only every ``count``-th named pattern, starting at
    ``index``: a test parametrized over ``range(count)`` walks them all, in pieces that
    pytest-xdist runs side by side instead of one walk of a minute or more.
    """
    from django.urls import get_resolver

    skipped = tuple(skip_paths)
    extra_names = tuple(query_names)
    admin_pages = _admin_pages()
    failures: list[str] = []

    def check(method: str, path: str, response: HttpResponse, detail: str = "") -> None:
        if response.status_code >= 500:
            failures.append(f"{method} {path}{detail} -> {response.status_code}")

    index, count = shard
    if not 0 <= index < count:
        raise ValueError(f"shard {index} of {count} does not exist")
    patterns = list(_named_patterns(get_resolver().url_patterns))[index::count]
    seen: set[str] = set()
    for name, params in patterns:
        for path in _urls_for(name, params, HOSTILE_VALUES):
            if path in seen or path.startswith(skipped):
                continue
            seen.add(path)
            response = client.get(path)
            check("GET", path, response)
            for method in ODD_METHODS:
                check(method, path, client.send(method, path))
            if params or response.status_code != 200:
                continue
            forms = _forms(response)
            _walk_queries(client, path, forms, extra_names, admin_pages.get(path), check)
            _walk_headers(client, path, check)
            _walk_post_forms(client, path, forms, check)
    return failures


def admin_change_paths(also: Iterable[Model] = ()) -> list[str]:
    """The admin change page of the newest row of each registered model, and of each of ``also``.

    Pages with a path parameter are walked with hostile values in the path only; these are the
    forms that need a real row (its inlines' management forms included), for
    :func:`find_server_errors_in_forms`. The newest row is the one a test made last; pass in
    ``also`` the rows whose inlines hold something (a ticket with attachments, a product with
    photos), since a form shows a row's fields only where the row exists.
    """
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    rows: list[tuple[Any, Any]] = [(row._meta, row.pk) for row in also]
    for model in admin.site._registry:
        newest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        if newest is not None:
            rows.append((model._meta, newest))
    paths = []
    for meta, pk in rows:
        try:
            paths.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk]))
        except NoReverseMatch:
            continue
    return list(dict.fromkeys(paths))


def find_server_errors_in_forms(client: HostileClient, paths: Iterable[str]) -> list[str]:
    """Post hostile values into every field of every POST form of each page in ``paths``.

    Every field of a form gets the same value, hidden ones too, so a formset's ``TOTAL_FORMS``
    and ``INITIAL_FORMS`` claim 2**64 rows and its rows' ids are junk. Returns one line per
    request answered >= 500, as :func:`find_server_errors` does.
    """
    failures: list[str] = []

    def check(method: str, path: str, response: HttpResponse, detail: str = "") -> None:
        if response.status_code >= 500:
            failures.append(f"{method} {path}{detail} -> {response.status_code}")

    for path in paths:
        response = client.get(path)
        check("GET", path, response)
        _walk_post_forms(client, path, _forms(response), check)
    return failures


class _QueryReads:
    """What one request looked up in its query string: some names, or the query as a whole."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.whole = False


@contextmanager
def _recording_query_reads() -> Iterator[_QueryReads]:
    """Record, for the requests made inside, which ``request.GET`` names anything looks up.

    ``WSGIRequest.GET`` (what the test client's requests, DRF's ``query_params`` and
    django-filter read) becomes a ``QueryDict`` that notes each name asked for by ``[]``,
    ``get()``, ``getlist()`` or ``in``, and notes the whole query when it is iterated, listed,
    copied or encoded; ``get_full_path()`` and ``build_absolute_uri()`` carry the raw query on,
    so they count as reading all of it.
    """
    from django.core.handlers.wsgi import WSGIRequest
    from django.http import HttpRequest, QueryDict
    from django.utils.functional import cached_property

    reads = _QueryReads()

    class RecordingQueryDict(QueryDict):
        """Records reads once ``armed``: filling it from the query string is not a read."""

        armed = False

        def read(self, key: object) -> None:
            if self.armed:
                reads.names.add(str(key))

        def read_whole(self) -> None:
            if self.armed:
                reads.whole = True

        def __getitem__(self, key: str) -> Any:
            self.read(key)
            return super().__getitem__(key)

        def _getlist(self, key: str, *args: Any, **kwargs: Any) -> Any:
            self.read(key)
            return super()._getlist(key, *args, **kwargs)  # type: ignore[misc]

        def __contains__(self, key: object) -> bool:
            self.read(key)
            return super().__contains__(key)

        def __iter__(self) -> Iterator[str]:
            self.read_whole()
            return super().__iter__()

        def keys(self) -> Any:
            self.read_whole()
            return super().keys()

        def lists(self) -> Any:
            self.read_whole()
            return super().lists()

        def __copy__(self) -> Any:
            self.read_whole()
            return super().__copy__()

        def __deepcopy__(self, memo: Any) -> Any:
            self.read_whole()
            return super().__deepcopy__(memo)

    def recording_get(request: WSGIRequest) -> QueryDict:
        # django-stubs types a QueryDict built without mutable=True as its immutable alias.
        raw = request.META.get("QUERY_STRING", "")
        query = cast("RecordingQueryDict", RecordingQueryDict(raw, encoding=request.encoding))
        query.armed = True
        return query

    def whole_query(method: Any) -> Any:
        def read_all(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            reads.whole = True
            return method(request, *args, **kwargs)

        return read_all

    recording = cached_property(recording_get)
    recording.__set_name__(WSGIRequest, "GET")
    saved = {
        (WSGIRequest, "GET"): WSGIRequest.__dict__["GET"],
        (HttpRequest, "get_full_path"): HttpRequest.get_full_path,
        (HttpRequest, "build_absolute_uri"): HttpRequest.build_absolute_uri,
    }
    WSGIRequest.GET = recording  # type: ignore[assignment]
    HttpRequest.get_full_path = whole_query(HttpRequest.get_full_path)  # type: ignore[method-assign]
    HttpRequest.build_absolute_uri = whole_query(HttpRequest.build_absolute_uri)  # type: ignore[method-assign]
    try:
        yield reads
    finally:
        for (owner, name), original in saved.items():
            setattr(owner, name, original)


def _query_names_read(client: HostileClient, path: str, candidates: Iterable[str]) -> _QueryReads:
    """Ask ``path`` once with every candidate name set to a plain value; see what it reads."""
    with _recording_query_reads() as reads:
        client.get(path + "?" + urlencode(dict.fromkeys(candidates, "1")))
        client.get(path)  # a name may be read only when no other parameter is present
    return reads


def _walk_queries(
    client: HostileClient,
    path: str,
    forms: list[_Form],
    extra_names: tuple[str, ...],
    admin_page: _AdminPage | None,
    check: Any,
) -> None:
    get_names = [name for form in forms if form.method == "get" for name in form.fields]
    names = list(dict.fromkeys([*COMMON_QUERY_NAMES, *extra_names, *get_names]))
    lookups = [name for name in admin_page.names if name not in names] if admin_page else []
    reads = _query_names_read(client, path, [*names, *lookups])
    refused: list[str] = []
    if not reads.whole:
        names = [name for name in names if name in reads.names]
        names += sorted(reads.names.difference(names, lookups))
        lookups = [name for name in lookups if name in reads.names]
    elif admin_page:
        # An admin changelist or add form reads its whole query; a name it neither defines nor
        # has as a field goes unread, so one value shows that, unless the ModelAdmin asked for
        # it by name.
        refused = [n for n in names if not admin_page.interprets(n) and n not in reads.names]
        names = [name for name in names if name not in refused]
    for query_name in names:
        for value in HOSTILE_VALUES:
            query = "?" + urlencode({query_name: value})
            check("GET", path, client.get(path + query), query[:80])
    for query_name in lookups:
        for value in NUMERIC_VALUES:
            query = "?" + urlencode({query_name: value})
            check("GET", path, client.get(path + query), query[:80])
    for query_name in refused:
        query = "?" + urlencode({query_name: HOSTILE_VALUES[0]})
        check("GET", path, client.get(path + query), query[:80])


def _walk_headers(client: HostileClient, path: str, check: Any) -> None:
    for value in HOSTILE_VALUES:
        if "\x00" in value:
            continue  # no HTTP server passes a NUL byte in a header on to the application
        # A WSGI server hands headers over as bytes decoded as Latin-1 (PEP 3333), so that is
        # what a view can meet: UTF-8 text arrives as mojibake, never as characters past U+00FF.
        as_received = value.encode("utf-8").decode("latin-1")
        headers = dict.fromkeys(HOSTILE_HEADERS, as_received)
        headers["HTTP_AUTHORIZATION"] = f"Token {as_received}"
        check("GET", path, client.get(path, **headers), f" [headers={value[:20]!r}]")


def _walk_post_forms(client: HostileClient, path: str, forms: list[_Form], check: Any) -> None:
    for form in forms:
        if form.method != "post" or not form.fields:
            continue
        target = urlsplit(form.action).path or path
        for value in HOSTILE_VALUES:
            data = dict.fromkeys(form.fields, value)
            check("POST", target, client.post(target, data), f" [{','.join(form.fields)[:60]}]")
