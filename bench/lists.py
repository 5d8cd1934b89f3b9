"""Benchmark of the lists at a million applications (issue 9 item 3): server time of the
reviewer's stage queue, the clerk's and the citizen's application lists, the public
register, the catalogue and their pages, one request at a time, against a trivial JSON
view (``GET /api/ping/``) measured in the same run as the floor of any request.

    DATABASE_URL=postgres://…/portal_h09scale python -m bench.lists

The database of DATABASE_URL is migrated and topped up to ``BENCH_APPLICATIONS``
(1,000,000) generated applications with ``demo_applications_generate`` (what ``seed_demo
--applications N`` runs) once, and reused by later runs. Requests go through Django's
test client in-process (no network: the time is the server's), each ``BENCH_REPEAT``
times after a warm-up. The figures are written into BENCHMARKS.md between this
benchmark's markers.
"""

import json
import os
import statistics
import sys
import time

from bench.common import django_migrated, write_marked
from bench.dashboard import WARMUP, _ensure_database, _machine, _percentile
from bench.dashboard import _seed as _generate

DEFAULT_APPLICATIONS = 1_000_000
REPEAT = int(os.environ.get("BENCH_REPEAT", "60"))
GOAL_MS = 100.0
DEEP_PAGE = 20  # a page reached by following ``next`` this many times
BEGIN, END = "<!-- bench:lists -->", "<!-- /bench:lists -->"


def _requests() -> list[tuple[str, str | None, str, dict]]:
    """(label, username or None for anonymous, path, query)."""
    return [
        ("GET /api/services/ (catalogue, cached)", None, "/api/services/", {}),
        ("GET / home page (catalogue, cached)", None, "/", {}),
        ("GET /api/stages/ reviewer_market, first page", "reviewer_market", "/api/stages/", {}),
        (f"GET /api/stages/ reviewer_market, page {DEEP_PAGE + 1} by cursor", "reviewer_market", "/api/stages/",
         {"deep": DEEP_PAGE}),
        ("GET /api/stages/ reviewer_env, first page", "reviewer_env", "/api/stages/", {}),
        ("GET /api/stages/ supervisor (every department)", "supervisor", "/api/stages/", {}),
        ("GET /review/queue/ page, reviewer_market (50 rows)", "reviewer_market", "/review/queue/", {}),
        ("GET /api/applications/ clerk, first page", "window", "/api/applications/", {}),
        (f"GET /api/applications/ clerk, page {DEEP_PAGE + 1} by cursor", "window", "/api/applications/",
         {"deep": DEEP_PAGE}),
        ("GET /api/applications/?status=in_review clerk", "window", "/api/applications/", {"status": "in_review"}),
        ("GET /api/applications/?status=submitted clerk (none)", "window", "/api/applications/",
         {"status": "submitted"}),
        ("GET /api/applications/?department=ENV clerk", "window", "/api/applications/", {"department": "ENV"}),
        ("GET /api/applications/?alert=red clerk", "window", "/api/applications/", {"alert": "red"}),
        ("GET /window/queue/ page, clerk", "window", "/window/queue/", {}),
        ("GET /api/applications/ citizen, first page", "citizen", "/api/applications/", {}),
        (f"GET /api/applications/ citizen, page {DEEP_PAGE + 1} by cursor", "citizen", "/api/applications/",
         {"deep": DEEP_PAGE}),
        ("GET /my/applications/ page, citizen (20 rows)", "citizen", "/my/applications/", {}),
        ("GET /api/applications/ reviewer_env (own department's)", "reviewer_env", "/api/applications/", {}),
        ("GET /api/register/ public register", None, "/api/register/", {}),
        ("GET /register/ page (50 rows)", None, "/register/", {}),
    ]


def _seed(applications: int) -> dict:
    from django.db import connection

    seeding = _generate(applications)
    # What autovacuum does to a settled table: statistics and the visibility map.
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) approvals_application")
        cursor.execute("VACUUM (ANALYZE) approvals_stage")
    connection.connection.autocommit = old
    return seeding


def _old_count_ms() -> dict:
    """What DRF's LimitOffsetPagination counted on every page before: count(*) of the list."""
    from django.contrib.auth.models import User

    from approvals import permissions, selectors

    def timed(qs):
        qs.count()
        started = time.perf_counter()
        for _ in range(3):
            qs.count()
        return (time.perf_counter() - started) / 3 * 1000

    clerk, citizen = User.objects.get(username="window"), User.objects.get(username="citizen")
    return {
        "clerk": timed(selectors.application_list(permissions.applications_visible_to(clerk))),
        "citizen": timed(selectors.application_list(permissions.applications_visible_to(citizen))),
        "reviewer_market": timed(selectors.stage_queue(User.objects.get(username="reviewer_market"))),
    }


def measure(applications: int) -> dict:
    django_migrated("lists")
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from approvals.models import Application, Stage

    seeding = _seed(applications)
    # Start-up as a gunicorn worker has it: portal.wsgi freezes what is loaded (gc.freeze).
    import portal.wsgi  # noqa: F401

    clients: dict[str | None, Client] = {}

    def client_for(username):
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(User.objects.get(username=username))
        return clients[username]

    def check(response, url):
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    # Every request once per round, the rounds one after the other: a burst of load from the
    # shared machine falls on all of them alike, so the ratios to the trivial view hold.
    calls = [("GET /api/ping/", None, "/api/ping/", {})]
    for label, username, url, params in _requests():
        client = client_for(username)
        params = dict(params)
        target = url
        for _ in range(params.pop("deep", 0)):  # follow next links to a deep page, then time that page
            target = check(client.get(target, params), target).json()["next"]
            params = {}
        calls.append((label, username, target, params))
    queries, wall, cpu = {}, {c[0]: [] for c in calls}, {c[0]: [] for c in calls}
    for label, username, target, params in calls:
        client = client_for(username)
        for _ in range(WARMUP):
            check(client.get(target, params), target)
        with CaptureQueriesContext(connection) as captured:
            check(client.get(target, params), target)
        queries[label] = len(captured)
    for _ in range(REPEAT):
        for label, username, target, params in calls:
            client = client_for(username)
            started, started_cpu = time.perf_counter(), time.process_time()
            check(client.get(target, params), target)
            wall[label].append((time.perf_counter() - started) * 1000)
            cpu[label].append((time.process_time() - started_cpu) * 1000)

    def stats(label):
        times = wall[label]
        return {"label": label, "queries": queries[label], "p50": statistics.median(times),
                "p95": _percentile(times, 0.95), "max": max(times), "n": len(times),
                "cpu_p50": statistics.median(cpu[label])}

    floor = stats(calls[0][0])
    results = [stats(c[0]) for c in calls[1:]]
    return {
        "applications": Application.objects.count(),
        "stages": Stage.objects.count(),
        "seeding": seeding,
        "postgres": connection.cursor().connection.server_version,
        "floor": floor,
        "requests": results,
        "old_count_ms": _old_count_ms(),
        "load": os.getloadavg()[0],
    }


def _report(machine: dict, data: dict, command: str) -> str:
    floor = data["floor"]
    lines = [
        BEGIN,
        "## Lists at a million applications (issue 9 item 3)",
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['ram_gib']} GiB RAM, {machine['system']}, "
        f"Python {machine['python']}, PostgreSQL {data['postgres'] // 10000}.{data['postgres'] % 10000}  ",
        f"Measured: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (load average {os.getloadavg()[0]:.1f} at the end: "
        "the machine is shared with other work); server time with Django's test client in-process (no "
        f"network), one request at a time, {data['requests'][0]['n']} rounds of every request after {WARMUP} "
        "warm-up requests each. \"Python CPU\" is the CPU time of the Django process alone (not PostgreSQL's, "
        "not time spent waiting for a core).",
        "",
        f"Data: {data['applications']:,} applications ({data['stages']:,} stages) generated by "
        "`seed_demo --applications N` (two citizens own all of them: the citizen's list is ~500,000 rows), "
        "vacuumed and analysed. Baseline in the same run: `GET /api/ping/`, a trivial JSON view "
        f"(p50 {floor['p50']:.1f} ms, p95 {floor['p95']:.1f} ms).",
        "",
        "| request | queries | p50 ms | p95 ms | max ms | p50 / trivial | p95 / trivial | Python CPU p50 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ok = True
    for r in data["requests"]:
        ok = ok and r["p95"] <= GOAL_MS
        lines.append(f"| {r['label']} | {r['queries']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} "
                     f"| {r['p50'] / floor['p50']:.1f} | {r['p95'] / floor['p95']:.1f} | {r['cpu_p50']:.1f} |")
    old = data["old_count_ms"]
    lines += [
        f"| `GET /api/ping/` trivial JSON view (baseline) | 0 | {floor['p50']:.1f} | {floor['p95']:.1f} "
        f"| {floor['max']:.1f} | 1.0 | 1.0 | {floor['cpu_p50']:.1f} |",
        "",
        "How: every list pages by keyset (`portal/pagination.py`: the next page starts after the last row's "
        "sort keys, so page 21 costs what page 1 costs) along an index in the list's order; `count` is "
        "counted up to 1,000 and `count_exact` says when it is capped. Before, DRF's limit/offset "
        "pagination ran `count(*)` of the whole list on every page: "
        f"{old['clerk']:.0f} ms for the clerk's list, {old['citizen']:.0f} ms for the citizen's, "
        f"{old['reviewer_market']:.0f} ms for the market reviewer's queue, on this data, before reading a row. "
        "The catalogue is cached (dropped on any change of an item, material, stage or department).",
        "",
        *([f"The machine was overloaded during this run (load average {data['load']:.0f} on {machine['nproc']} "
           "cores): a request waited for a core several times as long as it ran, as the trivial view's p95 and "
           "the Python CPU column show. Rerun on a quiet machine before comparing the wall times with the goal.",
           ""] if data["load"] > 2 * machine["nproc"] else []),
        f"Goal: p95 ≤ {GOAL_MS:.0f} ms for every list at {data['applications']:,} applications — "
        f"**{'met' if ok else 'NOT met'}**.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("set DATABASE_URL to a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/portal_h09scale)",
              file=sys.stderr)
        return 2
    _ensure_database(url)
    data = measure(int(os.environ.get("BENCH_APPLICATIONS", DEFAULT_APPLICATIONS)))
    write_marked(BEGIN, END, _report(_machine(), data, "DATABASE_URL=postgres://…/portal_h09scale python -m bench.lists"))
    print(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
