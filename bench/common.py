"""Shared set-up of the benchmarks: PostgreSQL only, the demo world, machine facts, BENCHMARKS.md."""

import os
import platform
import re
import subprocess
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The sweep benchmarks empty and refill the application tables, so they have a database of
# their own (the dashboard benchmark keeps its million applications in portal_bench).
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench_sweep"


def setup_django() -> None:
    """Use BENCH_SWEEP_DATABASE_URL, else DATABASE_URL's server with the database
    portal_bench_sweep (never the database DATABASE_URL names: it is emptied)."""
    url = os.environ.get("BENCH_SWEEP_DATABASE_URL")
    if not url:
        base = os.environ.get("DATABASE_URL", DEFAULT_DB)
        url = base.rsplit("/", 1)[0] + "/portal_bench_sweep" if base.startswith("postgres") else DEFAULT_DB
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # The benchmarks empty the audit trail: their checkpoints go to a file of their own.
    os.environ.setdefault("AUDIT_ANCHOR_PATH", str(ROOT / "var" / "bench-audit-anchors.log"))
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("benchmarks run on PostgreSQL (DATABASE_URL=postgres://...)")
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)


def _create_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def machine() -> str:
    cpu = "unknown CPU"
    try:
        text = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", text).group(1).strip()
    except (OSError, AttributeError):
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1_048_576:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.python_implementation()} {platform.python_version()}, {pg}"


def write_section(title: str, body: str) -> None:
    """Replace the section ``## title`` of BENCHMARKS.md (or append it): up to the next heading
    or the next benchmark's marker (``write_marked``), which stays."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n\nWritten by `make bench`; each section by its own script under `bench/`.\n"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = f"## {title}\n\n_Run {stamp}; machine: {machine()}._\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |^<!-- bench:|\Z)", re.S | re.M)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    path.write_text(text)


def write_marked(begin: str, end: str, section: str) -> None:
    """Replace the text between the markers ``begin`` and ``end`` in BENCHMARKS.md (or append it)."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def django_migrated(benchmark: str) -> None:
    """Set up Django on DATABASE_URL (PostgreSQL only) and migrate it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit(f"the {benchmark} benchmark runs on PostgreSQL (DATABASE_URL)")
    call_command("migrate", interactive=False, verbosity=0)


class CpuByProcess:
    """CPU time spent by each kind of process on this machine while the block runs (the web
    server's workers, PostgreSQL's backends, the load generator, Redis, the rest), sampled from
    /proc every ``interval`` seconds so that a process that ends meanwhile is counted up to its
    last sample. Afterwards ``seconds`` ({kind: CPU seconds}) and ``cores`` ({kind: cores used on
average}); Linux only (both empty elsewhere)."""

    KINDS = (("gunicorn", "gunicorn"), ("celery", "celery"), ("locust", "locust"), ("redis", "redis-server"),
             ("postgres", "postgres"))

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.cores: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        self._stop = threading.Event()

    @classmethod
    def _kind(cls, command: str) -> str:
        return next((kind for kind, marker in cls.KINDS if marker in command), "other")

    @staticmethod
    def _sample() -> dict[int, tuple[str, float]]:
        tick = os.sysconf("SC_CLK_TCK")
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[int(entry)] = (CpuByProcess._kind(command), (int(fields[11]) + int(fields[12])) / tick)
        return found

    def _run(self) -> None:
        first = last = self._sample()
        spent: dict[int, tuple[str, float]] = {}
        while not self._stop.wait(self.interval):
            last = self._sample()
            for pid, (kind, seconds) in last.items():
                spent[pid] = (kind, seconds - first.get(pid, (kind, 0.0))[1])
        self._spent = spent

    def __enter__(self):
        if not Path("/proc/self/stat").exists():
            return self
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        if not hasattr(self, "_thread"):
            return False
        self._stop.set()
        self._thread.join()
        elapsed = time.monotonic() - self._started
        totals: dict[str, float] = {}
        for kind, seconds in self._spent.values():
            totals[kind] = totals.get(kind, 0.0) + max(seconds, 0.0)
        self.seconds = dict(sorted(totals.items(), key=lambda kv: -kv[1]))
        self.cores = {kind: round(seconds / elapsed, 2) for kind, seconds in self.seconds.items()}
        return False
