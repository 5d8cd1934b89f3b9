"""Cost per call of the load mix's endpoints (issue 9 item 9), one request at a time.

    DATABASE_URL=postgres://…/portal_hC REDIS_URL=redis://127.0.0.1:6379/3 python -m bench.percall [rounds]

Every endpoint of bench/locustfile.py's mix goes through Django's test client in this process
with production settings (``PORTAL_ENV=production``, Redis, ``DB_CONN_MAX_AGE=60``, as bench.load
runs gunicorn), ``rounds`` times (``BENCH_PERCALL_ROUNDS``, 20): a round is the public pages and
progress queries, one citizen's create + four uploads + submit, the clerk's list and accept of
that application, the reviewer's queue and its next page, the supervisor's statistics. Reported
per endpoint: SQL statements per call, the median and 90th percentile of this process's CPU
(``time.process_time``: PostgreSQL's own CPU is not in it) and of wall time, and the median CPU of
the PostgreSQL backend serving this process's session during the call (/proc/<pid>/schedstat;
the database on this machine). The machine is
shared: compare statement counts, and CPU medians of runs made close together.

``BENCH_SQL=<label part>`` prints the statements of the last call of each endpoint whose label
contains it. ``BENCH_PROFILE=<label part>`` also runs cProfile over every call whose label contains it and
prints the functions with the most cumulative and own time. ``BENCH_TIME=module:attr[,…]`` (e.g.
``approvals.services:material_upload,portal.cache:KeptRedisCache.get``) wraps each named function where
it is looked up with a CPU timer and prints the CPU of its calls per endpoint call (without cProfile's
overhead on every other function). The database must hold the demo world
(``seed_demo``); the accounts it adds (bench_citizen_01, API tokens) are bench.load's.
"""

import cProfile
import functools
import importlib
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench_percall"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = {"name": "陈民", "id_number": "11010519491231002X", "phone": "13800138000"}
MATERIALS = ["FORM", "LICENCE", "LAYOUT", "SAFETY"]


def _production_env() -> None:
    os.environ.update({
        "PORTAL_ENV": "production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1:8103",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        "TRACK_THROTTLE_RATE": "1000000/min",
        "MEDIA_ROOT": str(OUT / "uploads"),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    })


class Counter:
    """Statements sent to the database (a cheap execute wrapper, always on)."""

    def __init__(self):
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.statements.append(sql)
        return execute(sql, params, many, context)


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        print("set DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("BENCH_PERCALL_ROUNDS", "20"))
    profile_label = os.environ.get("BENCH_PROFILE", "")
    sql_label = os.environ.get("BENCH_SQL", "")
    OUT.mkdir(parents=True, exist_ok=True)
    _production_env()
    import django

    django.setup()
    timed = _timers(os.environ.get("BENCH_TIME", ""))
    import portal.wsgi  # noqa: F401  (start-up as a gunicorn worker has it: gc.freeze)
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from approvals.models import Application

    def token(username):
        user, _ = User.objects.get_or_create(username=username)
        return Token.objects.get_or_create(user=user)[0].key

    if not (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():  # the pages need the manifest
        call_command("collectstatic", "--noinput", verbosity=0)
    clients = {}
    for name in ("bench_citizen_01", "window", "reviewer_market", "supervisor"):
        clients[name] = Client(HTTP_AUTHORIZATION=f"Token {token(name)}")
    public = Client()
    tracking = list(Application.objects.filter(number__isnull=False, stages__isnull=False).order_by("-id")
                    .values_list("number", "tracking_code").distinct()[:50])
    counter = Counter()
    results: dict[str, dict] = {}
    # CPU time (process_time), not wall: waiting for PostgreSQL is not the web worker's cost.
    profiler = cProfile.Profile(time.process_time) if profile_label else None

    def call(label, client, method, path, expect, **kwargs):
        profiled = profiler is not None and profile_label in label
        before = counter.count
        counter.statements = []
        backend = _backend(connection)
        started_pg = _cpu_ns(backend)
        started, started_cpu = time.perf_counter(), time.process_time()
        if profiled:
            profiler.enable()
        # secure: what gunicorn makes of the proxy's X-Forwarded-Proto
        response = getattr(client, method)(path, secure=True, **kwargs)
        if profiled:
            profiler.disable()
        cpu = (time.process_time() - started_cpu) * 1000
        wall = (time.perf_counter() - started) * 1000
        # PostgreSQL's CPU for this call: its backend's, if the call kept the same session.
        pg = (_cpu_ns(backend) - started_pg) / 1e6 if backend is not None and backend == _backend(connection) else None
        if response.status_code != expect:
            body = (response.content[:300], response.get("Location"))
            raise SystemExit(f"{label}: {method.upper()} {path} answered {response.status_code}: {body!r}")
        row = results.setdefault(label, {"statements": [], "cpu": [], "wall": [], "pg": []})
        row["statements"].append(counter.count - before)
        if pg is not None:
            row["pg"].append(pg)
        if sql_label and sql_label in label:
            row["sql"] = counter.statements
        row["cpu"].append(cpu)
        row["wall"].append(wall)
        for name, timer in timed.items():
            if timer.calls:
                spent = row.setdefault("timed", {}).setdefault(name, [0.0, 0])
                spent[0] += timer.spent * 1000
                spent[1] += timer.calls
            timer.spent, timer.calls = 0.0, 0
        return response

    def one_round(i):
        citizen, clerk = clients["bench_citizen_01"], clients["window"]
        number, code = tracking[i % len(tracking)]
        call("GET /api/ping/ (trivial)", public, "get", "/api/ping/", 200)
        call("GET /", public, "get", "/", 200)
        call("GET /services/", public, "get", "/services/", 200)
        call("GET /api/services/", public, "get", "/api/services/", 200)
        call("GET /services/{code}/", public, "get", "/services/MKT-002/", 200)
        call("GET /track/?number&code", public, "get", "/track/", 200, data={"number": number, "code": code})
        call("GET /api/track/{number}/", public, "get", f"/api/track/{number}/", 200, data={"code": code})
        created = call("POST /api/applications/ [create]", citizen, "post", "/api/applications/", 201,
                       data={"service": "MKT-002", "applicant": APPLICANT}, content_type="application/json")
        pk = created.json()["id"]
        for material in MATERIALS:
            upload = io.BytesIO(PDF)
            upload.name = "scan.pdf"
            call("POST /api/applications/{id}/materials/", citizen, "post", f"/api/applications/{pk}/materials/",
                 201, data={"material": material, "file": upload})
        call("POST /api/applications/{id}/submit/", citizen, "post", f"/api/applications/{pk}/submit/", 200)
        call("GET /api/applications/?status=submitted", clerk, "get", "/api/applications/", 200,
             data={"status": "submitted", "limit": 20})
        call("POST /api/applications/{id}/accept/", clerk, "post", f"/api/applications/{pk}/accept/", 200)
        first = call("GET /api/stages/", clients["reviewer_market"], "get", "/api/stages/", 200).json()
        if first.get("next"):
            call("GET /api/stages/?cursor", clients["reviewer_market"], "get", first["next"], 200)
        call("GET /api/stats/departments/", clients["supervisor"], "get", "/api/stats/departments/", 200)

    with connection.execute_wrapper(counter):
        one_round(0)  # warm-up: imports, caches, connections
        results.clear()
        for i in range(rounds):
            one_round(i + 1)

    print(f"{rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':<44} {'stmts':>6} {'cpu p50':>8} {'cpu p90':>8} {'wall p50':>9} {'wall p90':>9} {'pg p50':>7}")
    for label, row in results.items():
        statements = sorted(set(row["statements"]))
        shown = str(statements[0]) if len(statements) == 1 else f"{statements[0]}-{statements[-1]}"
        pg = f"{statistics.median(row['pg']):7.2f}" if row["pg"] else f"{'-':>7}"
        print(f"{label:<44} {shown:>6} {statistics.median(row['cpu']):8.1f} {_p(row['cpu'], 0.9):8.1f} "
              f"{statistics.median(row['wall']):9.1f} {_p(row['wall'], 0.9):9.1f} {pg}")
    for label, row in results.items():
        for name, (spent, calls) in row.get("timed", {}).items():
            print(f"  {label}: {name} {spent / len(row['cpu']):.3f} ms CPU per endpoint call "
                  f"({calls / len(row['cpu']):g} calls)")
    for label, row in results.items():
        if "sql" in row:
            print(f"\n{label}, the last call's statements:")
            for sql in row["sql"]:
                print("  ", sql[:300])
    if profiler is not None:
        profiler.dump_stats(OUT / "profile.pstats")  # for pstats' print_callees and the like
        for order in ("cumulative", "tottime"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(40)
            print(text.getvalue())
    return 0


class _Timer:
    """CPU spent in one function and the number of its calls (reset after each endpoint call)."""

    def __init__(self):
        self.spent, self.calls = 0.0, 0

    def wrap(self, func):
        @functools.wraps(func)  # a plain function: a method stays a method, Django's as_view still reads it
        def timed(*args, **kwargs):
            started = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.spent += time.process_time() - started
                self.calls += 1

        return timed


def _timers(spec: str) -> dict:
    """Replace each ``module:attr.path`` with a timer around it (nested calls count once each)."""
    timers = {}
    for name in filter(None, (part.strip() for part in spec.split(","))):
        module_name, _, path = name.partition(":")
        owner = importlib.import_module(module_name)
        *parents, attr = path.split(".")
        for part in parents:
            owner = getattr(owner, part)
        timer = timers[name] = _Timer()
        setattr(owner, attr, timer.wrap(getattr(owner, attr)))
    return timers


def _backend(connection) -> int | None:
    """The process id of the PostgreSQL backend of ``connection`` (no round trip), or None."""
    raw = connection.connection
    return raw.get_backend_pid() if raw is not None and not raw.closed else None


def _cpu_ns(pid: int | None) -> int:
    """CPU time of process ``pid`` in nanoseconds (/proc/<pid>/schedstat), 0 if unknown."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) if pid else 0
    except (OSError, ValueError):
        return 0


def _p(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


if __name__ == "__main__":
    raise SystemExit(main())
