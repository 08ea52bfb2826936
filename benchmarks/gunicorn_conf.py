"""gunicorn for the load and fault run (benchmarks/load_faults.py): sync workers on loopback.

The run sets CAREREVIEW_LOAD_BIND and CAREREVIEW_LOAD_WORKERS; the graceful timeout is short so
that stopping at the end (or on Ctrl-C) does not wait for slow requests.
"""

import os

wsgi_app = "carereview.config.wsgi:application"
bind = os.environ.get("CAREREVIEW_LOAD_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CAREREVIEW_LOAD_WORKERS", "4"))
worker_class = "sync"
timeout = 30
graceful_timeout = 3
backlog = 2048
# No control socket under $HOME: the run needs none, and several runs may share a machine.
control_socket_disable = True
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "carereview-load"
