"""The row lock every decision on an application takes first (its stages are locked after it,
in the order written in portal/locking.py)."""

from approvals.models import Application
from portal.locking import locked


def application_lock(application_id) -> Application:
    """The application row, locked for this transaction (its service item read along, not
    locked); a 404 when there is none."""
    return locked(Application, application_id, related=("service",))
