from portal.operations.heartbeat import last_sweep, sweep_is_stale
from portal.organisation.roles import oversees


def stale_sweep(request):
    """For supervisors (and the discipline office, administrators): the last completed sweep
    when it is too old — deadlines are then not being enforced, and every page says so."""
    user = getattr(request, "user", None)
    if user is None or not oversees(user):
        return {}
    record = last_sweep()
    if not sweep_is_stale(record):
        return {}
    return {"stale_sweep": {"record": record}}
