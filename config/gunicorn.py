"""gunicorn's settings for the web process: docker-compose, the Dockerfile and `make serve`
run `gunicorn --config python:config.gunicorn config.wsgi:application` (docs/operations.md,
"Web processes").

Sized for the 2-core machine the benchmarks run on (docs/benchmarks.md): a worker process
per core, each with a few threads, because a request spends much of its time waiting on
PostgreSQL and Redis while another thread runs. Each worker's threads share one bounded
pool of database connections (settings DB_POOL_SIZE, as many as its threads), so the web
holds at most WEB_WORKERS x WEB_THREADS connections whatever the load.
"""

import os

workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
bind = os.environ.get("WEB_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# A request slower than this is killed (and logged) rather than holding a thread forever.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Workers are replaced now and then, so that memory a request left behind is given back.
# Not too often: a new worker spends a second or two of CPU loading the app, and at 2,000
# requests each worker was replaced every few seconds under load, a third of the 304s' rate
# lost while it happened (docs/benchmarks.md). A worker's RSS stayed at ~124 MB through
# 25,000 requests.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# The application is loaded in each worker, after the fork: no connection, pool or Redis
# client is ever shared between processes.
preload_app = False

# Each worker's threads share its connection pool: one connection per thread at most.
os.environ.setdefault("DB_POOL_SIZE", str(threads))
