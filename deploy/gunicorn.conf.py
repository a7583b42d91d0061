"""Gunicorn configuration for Strategiportalen (used by systemd's strategiportalen-web and by
bin/prod-smoke). Every value can be overridden from the environment file.

- Two bind addresses of the same server: nginx lists both as upstreams, so when a worker
  process dies mid-request (out-of-memory kill, SIGKILL) nginx retries an idempotent
  request (GET/HEAD) on the other address and the user sees no error; the master starts a
  new worker at once.
- gthread workers: 2 threads per process keep a page answering while another request of the
  same process waits on PostgreSQL (requests are short; the Django ORM is thread-safe).
- timeout 120 s: the longest synchronous request is a list export just below
  EXPORT_BACKGROUND_ROWS or an import confirmation; larger work goes to the task worker.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000,127.0.0.1:8001").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The app is imported in each worker (not the master), so a worker restart reloads code
# state cleanly and the master holds no database connection.
preload_app = False
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "strategiportalen"
# nginx on the same host is the only client; it sets X-Forwarded-For/-Proto.
forwarded_allow_ips = "127.0.0.1,::1"


def child_exit(server, worker):
    """Tell prometheus-client a worker is gone, so its live gauges stop counting."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
