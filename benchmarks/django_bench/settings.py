"""The project's own production settings, plus a bare "hello" view to compare against.

Everything else (secret key, hosts, database, plain HTTP on loopback, throttle rates) comes from
the environment that ``benchmarks/run.py`` sets, exactly as a deployment would.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "django_bench.urls"
