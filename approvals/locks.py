"""The row lock every decision on an application takes first (its stages are locked after it,
in the order written in portal/locking.py), and the write of what the decision changed."""

from approvals import permissions
from approvals.models import Application
from portal.bulk import update_instance
from portal.errors import NotFound
from portal.locking import for_update, locked
from portal.prepared import PreparedQuery

# (name, attname) of every column an UPDATE may write (not the key).
_COLUMNS = tuple((f.name, f.attname) for f in Application._meta.concrete_fields if not f.primary_key)

# The two locks nearly every decision and upload takes, compiled once per process
# (portal.prepared): Django compiling the row with its item's ~30 columns was the biggest
# part of an upload's own CPU after the authentication.
_LOCKED = Application.objects.select_related("service")
_by_id = PreparedQuery(lambda pk: for_update(_LOCKED.filter(pk=pk)), int)
_own_by_id = PreparedQuery(lambda pk, applicant: for_update(_LOCKED.filter(pk=pk, applicant_id=applicant)), int, int)
# What an upload reads of the application it attaches a file to (the item comes from the cached
# catalogue): the citizen's upload, a quarter of the load mix's requests, reads six columns of the
# locked row instead of ninety with the item's.
UPLOAD_FIELDS = ("number", "status", "suspension_kind", "service", "applicant")
_own_for_upload = PreparedQuery(
    lambda pk, applicant: for_update(Application.objects.only(*UPLOAD_FIELDS).filter(pk=pk, applicant_id=applicant)),
    int, int)


def application_lock(application_id, *, visible_to=None) -> Application:
    """The application row, locked for this transaction (its service item read along, not
    locked); a 404 when there is none, or none that ``visible_to`` (a user) may see: the check
    and the lock in one statement. The values read are kept for ``application_save``."""
    if visible_to is None:
        application = _first(_by_id, application_id)
    elif permissions.sees_own_applications_only(visible_to):
        application = _first(_own_by_id, application_id, visible_to.pk)
    else:
        application = locked(permissions.applications_visible_to(visible_to), application_id, related=("service",))
    _keep_as_read(application)
    return application


def upload_lock(application_id, *, visible_to) -> Application:
    """``application_lock`` for an upload: for a caller who sees only his own applications, the
    row with only ``UPLOAD_FIELDS`` read (any other field is read from the database when asked
    for); for staff, the whole row as ``application_lock`` reads it. Not for a decision that
    saves the application (``application_save`` needs the row as read)."""
    if permissions.sees_own_applications_only(visible_to):
        return _first(_own_for_upload, application_id, visible_to.pk)
    return application_lock(application_id, visible_to=visible_to)


def _first(query: PreparedQuery, *values) -> Application:
    try:
        found = query(*values)
    except (ValueError, TypeError):  # an id that is not one (the prepared path takes ints only)
        raise NotFound() from None
    if not found:
        raise NotFound()
    return found[0]


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
        update_instance(application, changed)
    _keep_as_read(application)
