"""gunicorn's settings for `make serve` and production: `gunicorn -c gunicorn.conf.py`.

Each can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT) or
on the command line.
"""

import gc
import multiprocessing
import os

wsgi_app = "casetracker.wsgi:application"
bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers, two per core and one more: a worker waiting on the database leaves the core
# to another.
workers = int(os.getenv("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
# A long export streams for many seconds: a slow client must not hold a worker for ever.
graceful_timeout = 30
# The app is imported once, before the workers fork: they start faster and share its memory.
preload_app = True
# Workers are renewed now and then, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
errorlog = "-"
accesslog = os.getenv("GUNICORN_ACCESS_LOG") or None
# No control socket: it sits at one path per user, which a second gunicorn on the machine would take.
control_socket_disable = True


def pre_fork(server, worker):
    # What the master loaded (Django, the app, its URLs) is frozen out of the garbage collector's
    # scans: a full collection in a worker then walks only what the worker made itself (150 ms and
    # more a time otherwise, at the benchmark's size), and leaves the pages it shares with the master
    # unwritten.
    gc.freeze()
