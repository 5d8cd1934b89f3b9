"""Load benchmark of issue 9 item 9: the locust mix (bench/locustfile.py) against gunicorn
with 5 workers on PostgreSQL, PORTAL_ENV=production and Redis, 50 users, with the trivial
JSON view under the same gunicorn as the ceiling in the same run.

    DATABASE_URL=postgres://…/portal_h09scale REDIS_URL=redis://127.0.0.1:6379/3 python -m bench.load

The database should already hold the generated applications (``seed_demo --applications
1000000``, as bench.lists leaves it); this script only adds the benchmark's accounts (50
citizens, tokens) and 50 copies of MKT-002 (BENCH-01…50, for "50 different items").
Phases, one after the other, each a headless locust run of 50 users:

1. ceiling: ``GET /api/ping/`` only, no think time;
2. the mix at saturation (no think time): public pages and progress queries, citizens
   creating + uploading + submitting MKT-002, a clerk accepting, reviewers' queues,
   supervisors' statistics — its throughput against the ceiling's, then the ceiling again: the
   mix is compared with the mean of the two ceilings that bracket it (the host's speed drifts
   within minutes);
3. the same mix paced as people use it (each user reads for 1–3 s, ``BENCH_THINK``, between
   any two of its requests, also within one journey: between the form and each upload; the
   users arrive over 10 s, ``BENCH_PACED_ARRIVALS``, and are measured once all are in) — its
   latency per endpoint against the p95 goal. Latency is judged here, not at saturation: with
   50 users and no think time every request queues behind 49 others, so its latency is
   50 / throughput whatever the code does (at 150 requests/s, 330 ms), and the goal could only
   be met by a machine several times faster;
4. 50 citizens applying for the same item (MKT-002), then 50 for 50 different items.

Reported: errors (HTTP ≥ 400 other than a clerk's 409 on a lost race, and connection
failures), p95 per endpoint, throughput of the mix against the ceiling's, the citizens'
completed applications per second in both cases of phase 3, and the "deadlock detected"
lines PostgreSQL logged for this database during the run. gunicorn is stopped at the end.

Environment: BENCH_LOAD_SECONDS (mix, 90), BENCH_LOAD_CEILING_SECONDS (30),
BENCH_LOAD_CITIZEN_SECONDS (60), BENCH_LOAD_USERS (50), BENCH_PORT (8103).
"""

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import ROOT, CpuByProcess, machine, write_marked

USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
MIX_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "90"))
CEILING_SECONDS = int(os.environ.get("BENCH_LOAD_CEILING_SECONDS", "30"))
CITIZEN_SECONDS = int(os.environ.get("BENCH_LOAD_CITIZEN_SECONDS", "60"))
PACED_SECONDS = int(os.environ.get("BENCH_LOAD_PACED_SECONDS", "90"))
THINK = os.environ.get("BENCH_THINK", "1,3")
PORT = int(os.environ.get("BENCH_PORT", "8103"))
# The paced run's users arrive at this many a second (50 in 10 s); its figures count from the last.
PACED_ARRIVALS = float(os.environ.get("BENCH_PACED_ARRIVALS", "5"))
WORKERS = 5
OUT = ROOT / "var" / "bench_load"
PG_LOG = Path(os.environ.get("BENCH_PG_LOG", "/var/log/postgresql/postgresql-15-main.log"))
BEGIN, END = "<!-- bench:load -->", "<!-- /bench:load -->"
MIX = ["PublicUser", "CitizenUser", "ClerkUser", "ReviewerUser", "SupervisorUser"]
# Goals of issue 9 item 9.
GOAL_P95_MS = 150.0
GOAL_RATIO = 0.3
EXEMPT = ("materials", "login", "auth/token")  # uploads and login have no p95 goal


def prepare() -> dict:
    """Accounts, tokens, items and tracking numbers for the locust users (in this process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from approvals.models import Application
    from portal.catalogue.models import ServiceItem
    from portal.catalogue.selectors import catalogue_changed

    if connection.vendor != "postgresql":
        raise SystemExit("the load benchmark runs on PostgreSQL (DATABASE_URL)")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    tokens = {}
    for username in ["window", "reviewer_market", "supervisor"]:
        tokens[username] = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
    citizens = []
    for i in range(1, USERS + 1):
        user, _ = User.objects.get_or_create(username=f"bench_citizen_{i:02d}")
        tokens[user.username] = Token.objects.get_or_create(user=user)[0].key
        citizens.append(user.username)
    template = ServiceItem.objects.get(code="MKT-002")
    materials = list(template.materials.all())
    items = []
    for i in range(1, USERS + 1):
        code = f"BENCH-{i:02d}"
        items.append(code)
        if ServiceItem.objects.filter(code=code).exists():
            continue
        copy = ServiceItem.objects.get(pk=template.pk)
        copy.pk, copy.code, copy.name = None, code, f"{template.name}（压测副本{i:02d}）"
        copy.save()
        for material in materials:
            material.pk, material.item = None, copy
            material.save()
    catalogue_changed()
    # In service the deadline sweep rolls the closed days up (supervision.rollup); a generated
    # database has never been swept, so the statistics would aggregate a year live.
    from django.utils import timezone

    from supervision.rollup import rollup_rebuild

    rollup_rebuild(timezone.now())
    tracking = list(Application.objects.filter(number__isnull=False).order_by("-id")
                    .values_list("number", "tracking_code")[:500])
    with connection.cursor() as cursor:
        # A freshly generated database has no planner statistics until autovacuum comes round:
        # without them the stage queue took 17 s a page in a run on a just-seeded million.
        cursor.execute("VACUUM (ANALYZE)")
        cursor.execute("SELECT count(*) FROM approvals_application")
        applications = cursor.fetchone()[0]
    return {"tokens": tokens, "citizens": citizens, "items": items, "tracking": tracking,
            "applications": applications}


def server_env() -> dict:
    return {
        **os.environ,
        "PORTAL_ENV": "production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"https://127.0.0.1:{PORT}",
        # Persistent connections, as a production deployment runs (each worker keeps one).
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        # Every simulated visitor comes from 127.0.0.1: the per-address limits of the
        # progress query would otherwise answer 429 to the whole crowd as if one person.
        "TRACK_THROTTLE_RATE": "1000000/min",
        "MEDIA_ROOT": str(OUT / "uploads"),
        "DEBUG": "false",
    }


def start_gunicorn(env: dict) -> subprocess.Popen:
    import socket

    with socket.socket() as probe:  # another server on the port would answer instead
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"port {PORT} is in use: stop what listens there or set BENCH_PORT")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    OUT.mkdir(parents=True, exist_ok=True)  # also when bench.chaos starts it, on a fresh clone
    log = open(OUT / "gunicorn.log", "w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{PORT}", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{PORT}/api/ping/",
                                             headers={"X-Forwarded-Proto": "https"})
            if urllib.request.urlopen(request, timeout=2).status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit(f"gunicorn did not answer on port {PORT}: see {OUT / 'gunicorn.log'}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def locust(name: str, classes: list[str], seconds: int, env: dict, *, arrivals: float | None = None) -> dict:
    """A headless locust run. By default every user starts at once; with ``arrivals`` (users a
    second) they come in over USERS / arrivals seconds and the figures count from when the last
    has arrived (``--reset-stats``): the steady state, not a crowd that all opened the page in the
    same instant."""
    prefix = OUT / name
    spawn = ["-r", str(arrivals), "--reset-stats"] if arrivals else ["-r", str(USERS)]
    cpu = CpuByProcess()
    with cpu:
        subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(USERS), *spawn, "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}",
             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", *classes],
            cwd=ROOT, env=env, stdout=open(f"{prefix}.out", "w"), stderr=subprocess.STDOUT)
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            rows[f"{row['Type']} {row['Name']}".strip()] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0), "p95": float(row["95%"] or 0), "p99": float(row["99%"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    failures = []
    with open(f"{prefix}_failures.csv", encoding="utf-8") as found:
        for row in csv.DictReader(found):
            failures.append({"endpoint": f"{row['Method']} {row['Name']}", "error": row["Error"][:160],
                             "count": int(row["Occurrences"])})
    return {"seconds": seconds, "rows": rows, "failures": failures, "cpu_seconds": cpu.seconds, "cores": cpu.cores}


def deadlocks_logged(database: str, offset: int) -> int:
    if not PG_LOG.exists():
        return -1
    with PG_LOG.open("rb") as log:
        log.seek(offset)
        text = log.read().decode("utf-8", "replace")
    return sum(1 for line in text.splitlines() if "deadlock detected" in line and f"@{database}" in line)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        print("set DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    config = prepare()
    config_path = OUT / "config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    env = {**server_env(), "BENCH_LOAD_CONFIG": str(config_path)}
    log_offset = PG_LOG.stat().st_size if PG_LOG.exists() else 0
    server = start_gunicorn(env)
    try:
        ceiling = locust("ceiling", ["PingUser"], CEILING_SECONDS, env)
        mix = locust("mix", MIX, MIX_SECONDS, {**env, "BENCH_ITEM_MODE": "same"})
        # The ceiling again right after the mix: the host's speed drifts within minutes (a run's
        # first ceiling and a rerun's differed by up to 30 %), and the mix is compared with the
        # mean of the two that bracket it.
        ceiling_after = locust("ceiling_after", ["PingUser"], CEILING_SECONDS, env)
        paced = locust("paced", MIX, PACED_SECONDS + int(USERS / PACED_ARRIVALS),
                       {**env, "BENCH_ITEM_MODE": "same", "BENCH_THINK": THINK}, arrivals=PACED_ARRIVALS)
        same = locust("same_item", ["CitizenUser"], CITIZEN_SECONDS, {**env, "BENCH_ITEM_MODE": "same"})
        different = locust("different_items", ["CitizenUser"], CITIZEN_SECONDS,
                           {**env, "BENCH_ITEM_MODE": "different"})
    finally:
        stop(server)
    database = urlsplit(url).path.lstrip("/")
    result = {"applications": config["applications"], "ceiling": ceiling, "ceiling_after": ceiling_after, "mix": mix,
              "paced": paced, "same": same,
              "different": different, "deadlocks": deadlocks_logged(database, log_offset),
              "load_average": os.getloadavg()[0]}
    (OUT / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    write_marked(BEGIN, END, report(result))
    print(json.dumps({k: v for k, v in result.items() if k in ("deadlocks", "load_average")}))
    return 0


def _submits_per_second(run: dict) -> float:
    row = run["rows"].get("POST /api/applications/{id}/submit/", {"requests": 0, "failures": 0})
    return (row["requests"] - row["failures"]) / run["seconds"]


def ceiling_rps(r: dict) -> float:
    """The trivial view's throughput the mix is compared with: the mean of the runs before and
    after the mix (the one before alone in results written before there was a second)."""
    runs = [r[name]["rows"]["Aggregated"]["rps"] for name in ("ceiling", "ceiling_after") if name in r]
    return sum(runs) / len(runs)


def cpu_table(ceiling: dict, mix: dict, after: dict | None = None) -> list[str]:
    """Where the machine's cores went in the ceiling's run and the mix's (bench.common.CpuByProcess):
    the ratio is the two runs' CPU per request, and this says whose CPU."""
    if not ceiling.get("cpu_seconds") or not mix.get("cpu_seconds"):
        return []
    kinds = [k for k in ("gunicorn", "postgres", "locust", "redis", "celery", "other")
             if k in ceiling["cpu_seconds"] or k in mix["cpu_seconds"]]
    lines = ["Where the cores went (CPU of each kind of process during the run, over the requests served):", "",
             "| run | " + " | ".join(kinds) + " | all |", "|---|" + "---:|" * (len(kinds) + 1)]
    for name, run in (("ceiling", ceiling), ("mix", mix), *([("ceiling after the mix", after)] if after else [])):
        served = run["rows"]["Aggregated"]["requests"] or 1
        cells = [f"{run['cores'].get(k, 0):.2f} cores, {1000 * run['cpu_seconds'].get(k, 0) / served:.1f} ms/req"
                 for k in kinds]
        total = sum(run["cpu_seconds"].values())
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {sum(run['cores'].values()):.2f} cores, "
                     f"{1000 * total / served:.1f} ms/req |")
    return lines


def report(r: dict) -> str:
    mix, ceiling = r["mix"], r["ceiling"]
    total = mix["rows"]["Aggregated"]
    ping = ceiling["rows"]["Aggregated"]
    after = r["ceiling_after"]["rows"]["Aggregated"] if "ceiling_after" in r else None
    reference = ceiling_rps(r)
    ratio = total["rps"] / reference if reference else 0
    same, different = _submits_per_second(r["same"]), _submits_per_second(r["different"])
    balance = same / different if different else 0
    paced = r["paced"]
    ceilings = [r[name] for name in ("ceiling", "ceiling_after") if name in r]
    errors = sum(row["failures"] for run in (mix, paced, r["same"], r["different"], *ceilings)
                 for name, row in run["rows"].items() if name != "Aggregated")
    slow = [name for name, row in paced["rows"].items()
            if name != "Aggregated" and row["p95"] > GOAL_P95_MS and not any(e in name for e in EXEMPT)]
    paced_total = paced["rows"]["Aggregated"]
    lines = [
        BEGIN,
        "## Load: the locust mix against gunicorn (issue 9 item 9)",
        "",
        "Command: `DATABASE_URL=postgres://…/" + os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] + " REDIS_URL=redis://…/N python -m bench.load`  ",
        f"Machine: {machine()}; load average {r['load_average']:.1f} at the end (the 2 cores are shared with "
        "other work: locust itself runs on them too)  ",
        f"Measured: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. gunicorn, {WORKERS} sync workers, `PORTAL_ENV=production`, "
        f"PostgreSQL with {r['applications']:,} applications, Redis (cache, broker); {USERS} locust users (no think "
        f"time at saturation; {THINK.replace(',', '–')} s between requests in the paced run). Authenticated calls by API token; every request carries `X-Forwarded-Proto: https` (the proxy's "
        "header). For the run only: `TRACK_THROTTLE_RATE` raised (all users share one address), "
        "`DB_CONN_MAX_AGE=60`.",
        "",
        f"Ceiling, `GET /api/ping/` alone ({ceiling['seconds']} s): **{ping['rps']:.0f} requests/s**, "
        f"p50 {ping['p50']:.0f} ms, p95 {ping['p95']:.0f} ms"
        + (f"; again right after the mix: **{after['rps']:.0f} requests/s** (p50 {after['p50']:.0f} ms); "
           f"the mix is compared with their mean, {reference:.0f} requests/s." if after else "."),
        "",
        f"The mix at saturation ({mix['seconds']} s, no think time): **{total['rps']:.1f} requests/s = {ratio:.2f} × the ceiling** "
        f"(goal ≥ {GOAL_RATIO}), {total['requests']:,} requests, {total['failures']} failed.",
        "",
        "| endpoint | requests | failed | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in sorted(mix["rows"].items(), key=lambda kv: (kv[0] == "Aggregated", kv[0])):
        lines.append(f"| {name} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} | {row['p95']:.0f} "
                     f"| {row['p99']:.0f} |")
    lines += ["", *cpu_table(ceiling, mix, r.get("ceiling_after"))]
    lines += [
        "",
        f"The mix paced as people use it ({paced['seconds']} s, {USERS} users reading {THINK.replace(',', '–')} s "
        f"between any two requests, within a journey too; arriving over {USERS / PACED_ARRIVALS:.0f} s, measured once all had arrived): **{paced_total['rps']:.1f} requests/s**, {paced_total['requests']:,} requests, "
        f"{paced_total['failures']} failed; the p95 goal ({GOAL_P95_MS:.0f} ms) is judged here.",
        "",
        "| endpoint | requests | failed | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in sorted(paced["rows"].items(), key=lambda kv: (kv[0] == "Aggregated", kv[0])):
        lines.append(f"| {name} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} | {row['p95']:.0f} "
                     f"| {row['p99']:.0f} |")
    if mix["failures"] or paced["failures"] or r["same"]["failures"] or r["different"]["failures"]:
        lines += ["", "Failures:", ""]
        for run_name in ("mix", "paced", "same", "different"):
            for f in r[run_name]["failures"]:
                lines.append(f"- {run_name}: {f['count']} × {f['endpoint']}: `{f['error']}`")
    lines += [
        "",
        f"50 citizens creating + uploading + submitting, {r['same']['seconds']} s each: for the same item "
        f"(MKT-002) **{same:.2f} completed applications/s**; for 50 different items **{different:.2f}/s**; "
        f"ratio {balance:.2f} (goal 0.8–1.2).",
        "",
        "| case | endpoint | requests | failed | p50 ms | p95 ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for case in ("same", "different"):
        for name, row in sorted(r[case]["rows"].items()):
            if name != "Aggregated":
                lines.append(f"| {case} | {name} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} "
                             f"| {row['p95']:.0f} |")
    goals = [
        ("0 errors", errors == 0),
        (f"p95 ≤ {GOAL_P95_MS:.0f} ms on every page and endpoint but uploads and login (paced run)", not slow),
        (f"throughput ≥ {GOAL_RATIO} × the trivial view", ratio >= GOAL_RATIO),
        ("same item as fast as different items (± 20 %)", 0.8 <= balance <= 1.2),
        ("0 deadlocks in the PostgreSQL log", r["deadlocks"] == 0),
    ]
    lines += [
        "",
        f"PostgreSQL logged {r['deadlocks']} \"deadlock detected\" for this database during the run.",
        "",
        "Goals: " + "; ".join(f"{name} — **{'met' if ok else 'NOT met'}**" for name, ok in goals)
        + (f". Slower than the goal: {', '.join(slow)}." if slow else "."),
        END,
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
