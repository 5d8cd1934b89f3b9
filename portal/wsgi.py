import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# What start-up loaded lives as long as the process: keep it out of the cyclic collector.
# Its full passes over those ~180,000 objects paused whichever request ran into one for about
# 100 ms (bench.lists: the citizen's page, p50 23 ms, p95 163 ms). The URLconf first, with
# every view, serializer and form it imports and the resolver's tables: the first request
# would load them (~68,000 objects) after the freeze, and the collector would go over them on
# every full pass for the life of the process (an upload's collections 0.14-0.17 -> 0.07-0.08
# ms of CPU, in-process on the load database).
resolver = get_resolver()
resolver.url_patterns, resolver.reverse_dict  # noqa: B018 - loaded for their side effect
del resolver
gc.collect()  # not to keep start-up's garbage for ever
gc.freeze()
