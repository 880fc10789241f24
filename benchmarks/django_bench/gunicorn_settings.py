"""gunicorn for the benchmarks: two sync workers (the best fit for CPU-bound Django on two
cores), no access log (writing it would be measured too). The bind address comes from run.py."""

workers = 2
worker_class = "sync"
loglevel = "warning"
accesslog = None
