"""/health/ (database, cache, broker, sweep freshness, audit sealing; 503 Service Unavailable
when any fails, so a load balancer or monitor reads it as "not ready" rather than as a bug)
and the cheap /health/live/ (the process answers; touches nothing)."""

import dataclasses
import datetime

import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from django.utils import timezone

from portal.audit.services import unsealed_backlog
from portal.operations.heartbeat import last_sweep, sweep_lag_seconds


@dataclasses.dataclass
class SweepFreshness(HealthCheck):
    """The deadline sweep completed less than SWEEP_STALE_SECONDS ago (超期默许 is being enforced)."""

    async def run(self) -> None:
        # In the request's own thread and connection (thread_sensitive), like any view's query.
        lag = sweep_lag_seconds(await sync_to_async(last_sweep)())
        if lag is None:
            raise ServiceUnavailable("no deadline sweep has completed yet")
        if lag > settings.SWEEP_STALE_SECONDS:
            raise ServiceUnavailable(
                f"the last deadline sweep completed {lag:.0f} s ago (limit {settings.SWEEP_STALE_SECONDS} s)")


@dataclasses.dataclass
class Broker(HealthCheck):
    """Celery's broker answers (Redis PING over the broker URL)."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self) -> None:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        except redis.RedisError as error:
            raise ServiceUnavailable(f"broker unreachable: {type(error).__name__}") from error
        finally:
            client.close()


@dataclasses.dataclass
class AuditSealing(HealthCheck):
    """全程留痕: no audit block waits longer than AUDIT_SEAL_STALE_SECONDS to be sealed into the
    chain (the sealer runs after every commit and on beat's schedule)."""

    async def run(self) -> None:
        blocks, rows, oldest = await sync_to_async(unsealed_backlog)()
        if oldest is None:
            return
        age = (timezone.now() - oldest).total_seconds()
        if age > settings.AUDIT_SEAL_STALE_SECONDS:
            raise ServiceUnavailable(f"{blocks} audit blocks ({rows} rows) unsealed, the oldest for {age:.0f} s "
                                     f"(limit {settings.AUDIT_SEAL_STALE_SECONDS} s)")


def checks() -> tuple:
    found = ["health_check.checks.Database", "health_check.checks.Cache", SweepFreshness, AuditSealing]
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        found.append(Broker)
    return tuple(found)


class PortalHealthView(HealthCheckView):
    @property
    def checks(self):
        return checks()

    # django-health-check answers a failed check with 500; a failed dependency is 503.
    def render_to_response(self, context, status=200, **kwargs):
        return super().render_to_response(context, status=_unavailable(status), **kwargs)

    def render_to_response_json(self, status):
        return super().render_to_response_json(_unavailable(status))

    def render_to_response_text(self, status):
        return super().render_to_response_text(_unavailable(status))


def _unavailable(status: int) -> int:
    return 503 if status == 500 else status


@never_cache
def live(request):
    return HttpResponse("ok\n", content_type="text/plain")
