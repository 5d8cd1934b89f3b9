"""Row locks: the one helper every service uses, and the one order they are taken in.

SPEC §5 and §10: a decision and the deadline sweep serialise on the row they decide
(``SELECT … FOR UPDATE``); no request waits for a row that every other request also needs;
rows are locked in one order, so concurrent work never deadlocks.

**Every lock names its rows.** ``locked`` and ``for_update`` lock only the rows of the model
queried (``FOR UPDATE OF self``, and a related row named with ``along``): a ``select_related``
join reads the catalogue item, the department or the user along with it but never locks them (a plain ``select_for_update()``
with a join locks every joined row — fifty citizens applying for one item all queued on the
item's row). Nothing else in the code calls ``select_for_update`` (tests/portal/test_locking.py).

**The order.** A transaction that locks several rows takes them in this order, each kind in
ascending id, and never goes back to an earlier kind:

0. bookmarks claimed with ``SKIP LOCKED`` — the supervision roll-up state, the default-rating
   mark: nobody ever waits for them, so they may come before anything;
1. staff profiles (A/B posts: the absentee, his B post, those he covers);
2. applications;
3. the stages of those applications (an application is locked before its stages: every
   review service, the A/B handover and the deadline sweep do so, and the sweep's lapse
   step locks the applications only — the application row stands for its stages);
4. the other case files, each locked on its own: inquiries, complaints, evaluations and
   their follow-ups (an evaluation's follow-up after the evaluation), accountability cases;
5. calendar years (a calendar load or a hand edit of a day; nothing else is locked with them).

One documented exception: a service assigning an item to an official (``assignment_route``)
already holds the item and then locks the official's profile; that cannot cross an absence,
which only locks items the absentee already holds (see ``portal.organisation.posts``).

**No lock for the audit trail.** Writers append audit blocks without any shared lock; the
sealer chains them after commit under an advisory lock that no writer's transaction takes
(``portal.audit.services``). Batch claims of the deadline sweep and the outbox use
``SKIP LOCKED``, so they never wait for a row a person is deciding.
"""

from django.db import models

from portal.errors import NotFound

SELF = ("self",)


def for_update(queryset: models.QuerySet, *, skip_locked: bool = False,
               along: tuple[str, ...] = ()) -> models.QuerySet:
    """``queryset`` locking only its own model's rows (``FOR UPDATE OF self``), in the order
    the queryset gives (order several rows by id). ``along`` names related rows (paths of its
    ``select_related``) locked with each row, e.g. an alert's application: still named, never
    the whole join."""
    return queryset.select_for_update(of=SELF + tuple(along), skip_locked=skip_locked)


def locked(model_or_queryset, pk, *, related: tuple[str, ...] = ()):
    """The row ``pk`` locked for the rest of the transaction (``related`` objects read along,
    not locked); NotFound (404) when there is no such row or the id is not one."""
    queryset = model_or_queryset if isinstance(model_or_queryset, models.QuerySet) \
        else model_or_queryset._default_manager.all()
    if related:
        queryset = queryset.select_related(*related)
    try:
        return for_update(queryset).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def bookmark_claimed(model):
    """The one bookmark row (``pk=1``) of ``model``, created when missing, locked for this
    transaction; None while another worker holds it (SKIP LOCKED: nobody waits for a
    bookmark, so it may be claimed before anything else — order 0 above)."""
    rows = model._default_manager.filter(pk=1)
    mark = for_update(rows, skip_locked=True).first()
    if mark is None and not rows.exists():
        model._default_manager.get_or_create(pk=1)
        mark = for_update(rows, skip_locked=True).first()
    return mark
