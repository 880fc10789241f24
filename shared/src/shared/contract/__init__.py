"""The deployment contract: rules every project keeps, written once, run by each against itself.

Like a library's conformance suite run against each backend, each module here holds test
classes whose names end in ``Contract`` (so pytest does not collect them where they are
defined). A project subclasses them in ``tests/test_contract.py`` as ``Test...`` classes and
provides a ``deployment`` fixture returning its :class:`Deployment`; a rule added here then
holds in all three projects, and a project's own tests are about its domain.

- :mod:`shared.contract.settings`: production settings refuse to run insecurely; the
  environment chooses the database, cache, queue and proxy trust the same way everywhere.
- :mod:`shared.contract.health`: ``/healthz`` and what it reports of each dependency.
- :mod:`shared.contract.server`: the gunicorn config file and ``collectstatic``.
- :mod:`shared.contract.client_ip`: the address a lockout counts, as the deployment (never
  the client) says.
- :mod:`shared.contract.lockout`: five failed password checks on any form lock the account,
  or the address, out for fifteen minutes.
- :mod:`shared.contract.csp`: the strict Content-Security-Policy on every kind of page, and
  templates with nothing inline it would block.
- :mod:`shared.contract.csrf`: signing in, out and changing a password need the page's token.
- :mod:`shared.contract.sessions`: the database session store, read without an ORM query.
- :mod:`shared.contract.worker`: ``run_maintenance`` enqueues (or with ``--now`` runs) the upkeep
  and fails for cron when it cannot; ``run_worker`` starts the right worker and stops on a signal.
- :mod:`shared.contract.failures`: a database that is away is a 503 asking to retry, any
  other error the friendly 500, neither with a traceback.
- :mod:`shared.contract.hygiene`: out-of-range integer lookups, the README's rules table and
  model diagram, the admin's "view on site" shortcut.

Assertions in these modules are rewritten by pytest (``shared.pytest_plugin`` registers the
package), so a failing rule reports its values as a project's own test would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Deployment:
    """What the contract needs to know about one project; the rest it finds by itself.

    ``name`` is the project's folder (and nox id); ``queue_name`` the task queue's default name
    (``DJANGO_TASKS_QUEUE``); ``html_page`` a page anyone may GET that renders a template with
    static files (the security headers are read on it); ``sample_task`` a task that can be
    enqueued without arguments (the queue's depth is counted with it); ``static_file`` one of
    the project's own files under ``static/``, looked for in ``collectstatic``'s output.
    ``login_url`` is the project's own login form (username and password, redirecting once
    signed in) and ``logout_url`` where a POST signs out; ``password_change_urls`` the forms
    that check the old password before changing it (the admin's, and the site's own where it
    has one).
    ``retry_after_seconds`` is the ``Retry-After`` a database outage answers with (the README
    states it); ``unavailable_says`` and ``server_error_says`` are words of the project's 503
    page and of its 500 answer, so the contract knows it got the project's own and not Django's.
    """

    name: str
    project_dir: Path
    queue_name: str
    html_page: str = "/admin/login/"
    sample_task: str = "config.tasks.prune_task_results"
    static_file: str = "css/site.css"
    login_url: str = "/accounts/login/"
    logout_url: str = "/accounts/logout/"
    password_change_urls: tuple[str, ...] = ("/admin/password_change/",)
    production_settings: str = "config.settings.production"
    local_settings: str = "config.settings.local"
    retry_after_seconds: int = 10
    unavailable_says: str = "Back in a moment"
    server_error_says: str = "Something went wrong on our side"

    @property
    def gunicorn_config(self) -> Path:
        return self.project_dir / "config" / "gunicorn.conf.py"
