"""`make bench`: every benchmark, results written into BENCHMARKS.md."""

import importlib
import os
import subprocess
import sys

BENCHES = ["bench.sweep", "bench.lateness", "bench.dashboard", "bench.lists"]


def main() -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    failed = []
    for name in BENCHES:
        if importlib.util.find_spec(name) is None:
            continue
        print(f"== {name}", flush=True)
        # Each in its own process: they set up Django with different settings.
        if subprocess.run([sys.executable, "-m", name], env=dict(os.environ)).returncode != 0:
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
