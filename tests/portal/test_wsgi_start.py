"""What a web worker loads at start (portal/wsgi.py) is kept out of the cyclic garbage collector:
the URLconf with every view it imports is loaded before ``gc.freeze()``, so that the collector's
full passes during requests do not go over it again for the life of the process. Run in a child
process: the freeze would otherwise apply to this test run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, sys
import portal.wsgi
from django.urls import get_resolver
views_loaded = "public.views" in sys.modules
resolver = get_resolver()
patterns, reverse = resolver.url_patterns, resolver.reverse_dict  # loaded now if start-up did not
unfrozen = {id(o) for o in gc.get_objects()}
print(gc.get_freeze_count(), id(patterns) in unfrozen, id(reverse) in unfrozen, views_loaded)
"""


def test_the_worker_freezes_the_urlconf_it_loaded_at_start():
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    frozen, patterns_unfrozen, reverse_unfrozen, views_loaded = run.stdout.split()
    assert views_loaded == "True"  # the URLconf's views were imported at start
    assert patterns_unfrozen == "False" and reverse_unfrozen == "False"  # and frozen with the rest
    assert int(frozen) > 100_000
