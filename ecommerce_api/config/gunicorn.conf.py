"""gunicorn settings for production: ``gunicorn -c config/gunicorn.conf.py`` from this folder.

Read from the environment so one image runs anywhere: ``PORT`` (8000), ``GUNICORN_HOST``
(127.0.0.1; ``0.0.0.0`` in a container behind a load balancer), ``WEB_CONCURRENCY`` (2 workers)
and ``GUNICORN_TIMEOUT`` (30 s). Sync workers: two of them beat four, and beat threads, for
CPU-bound Django on two cores. The access and error logs go to stdout/stderr, for the platform's
log collector.
"""

import os

wsgi_app = "config.wsgi:application"

bind = [f"{os.environ.get('GUNICORN_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
# Recycle each worker now and then, so a slow leak never grows into an outage.
max_requests = 1000
max_requests_jitter = 100

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
