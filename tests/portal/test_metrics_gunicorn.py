"""Issue 9 item 8: /metrics under gunicorn counts every worker's requests, whichever worker
answers the scrape (prometheus_client's multiprocess mode, portal/gunicorn.py).

A real gunicorn with three workers on the test's PostgreSQL database: 60 requests spread over
the workers by the kernel (a held connection keeps one worker busy), then every scrape reports all of them."""

import os
import shutil
import socket
import threading
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def _pings_per_worker(directory: Path, tmp_path: Path) -> dict[str, float]:
    """The pings each worker counted, read from its own counter file alone."""
    from prometheus_client import CollectorRegistry, generate_latest, multiprocess

    counts = {}
    for path in directory.glob("counter_*.db"):
        alone = tmp_path / f"alone-{path.stem}"
        alone.mkdir(parents=True)
        shutil.copy(path, alone / path.name)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(alone))
        counts[path.stem.rsplit("_", 1)[-1]] = _ping_count(generate_latest(registry).decode())
    return {pid: n for pid, n in counts.items() if n}


def _ping_count(text: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith("django_http_responses_total_by_status_view_method_total{") and 'view="api-ping"' in line:
            total += float(line.split()[-1])
    return total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_scrape_sums_the_requests_of_all_gunicorn_workers(tmp_path):
    settings_dict = connection.settings_dict
    port = _free_port()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
           "DATABASE_URL": f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
                           f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}",
           "METRICS_TOKEN": "", "METRICS_CACHE_SECONDS": "0"}
    env.pop("PORTAL_ENV", None)
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-c", "python:portal.gunicorn",
         "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/health/live/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
                time.sleep(0.2)
        # One worker may serve everything when it is always back first (a loaded machine); a
        # connection that sends half a request holds the worker that took it, so the pings of a
        # round go to the others. Rounds repeat (at most ten) until two workers have counted.
        clients = 6
        sent = 0
        for _ in range(10):
            held = socket.create_connection(("127.0.0.1", port), timeout=10)
            held.sendall(b"GET /api/ping/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            start = threading.Barrier(clients)

            def pings(start=start):
                start.wait()
                for _ in range(REQUESTS // clients):
                    _get(f"{base}/api/ping/")

            threads = [threading.Thread(target=pings) for _ in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            held.sendall(b"Connection: close\r\n\r\n")
            with held:
                assert b" 200 " in held.recv(4096).split(b"\r\n", 1)[0]
            sent += REQUESTS + 1
            per_worker = _pings_per_worker(tmp_path / "prometheus", tmp_path / f"round-{sent}")
            if len(per_worker) >= 2:
                break
        texts = [_get(f"{base}/metrics") for _ in range(6)]
        scrapes = [_ping_count(text) for text in texts]
    finally:
        server.terminate()
        server.wait(20)
    # Several workers served the pings (six clients at once against three workers) ...
    assert len(per_worker) >= 2 and sum(per_worker.values()) == sent, (per_worker, sent)
    # ... and every scrape, whichever worker answered it, counts all of them.
    assert scrapes == [sent] * 6, (scrapes, log.read_text()[-2000:])
    # The portal's own figures are in every scrape too (read from the database).
    assert all("portal_sweep_lag_seconds" in text and "portal_audit_unsealed" in text for text in texts)
