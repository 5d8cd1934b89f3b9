"""The row lock every decision on an application takes first (its stages are locked after it,
in the order written in portal/locking.py), and the write of what the decision changed."""

from approvals import permissions
from approvals.models import Application
from portal.locking import locked

# (name, attname) of every column an UPDATE may write (not the key).
_COLUMNS = tuple((f.name, f.attname) for f in Application._meta.concrete_fields if not f.primary_key)


def application_lock(application_id, *, visible_to=None) -> Application:
    """The application row, locked for this transaction (its service item read along, not
    locked); a 404 when there is none, or none that ``visible_to`` (a user) may see: the check
    and the lock in one statement. The values read are kept for ``application_save``."""
    rows = Application if visible_to is None else permissions.applications_visible_to(visible_to)
    application = locked(rows, application_id, related=("service",))
    _keep_as_read(application)
    return application


def _keep_as_read(application: Application) -> None:
    application._as_read = [getattr(application, attname) for _name, attname in _COLUMNS]


def application_save(application: Application) -> None:
    """Write the columns the service changed since ``application_lock`` read the row (all of
    them for an instance not read by it): an UPDATE of every one of some 60 columns cost
    Django more CPU to compile than the rest of a submit's statements (bench.percall)."""
    as_read = getattr(application, "_as_read", None)
    if as_read is None:
        application.save()
        return
    changed = [name for (name, attname), before in zip(_COLUMNS, as_read) if getattr(application, attname) != before]
    if changed:
        application.save(update_fields=changed)
    _keep_as_read(application)
