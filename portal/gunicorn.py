"""gunicorn settings for the Procfile and docker-compose.yml (``gunicorn -c python:portal.gunicorn``).

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there and /metrics
sums them (portal.operations.metrics): the directory is emptied when the master starts (stale
files of an earlier run would be counted again) and a dead worker's live gauges are dropped.
"""

import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
