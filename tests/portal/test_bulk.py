"""portal.bulk writes rows exactly as given, on PostgreSQL (COPY) and elsewhere."""

from datetime import datetime, timezone

import pytest

from portal.audit.models import AuditEvent
from portal.bulk import insert_rows
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

TRICKY = "tab\there\nnew line \\N back\\slash\r末尾 '引号' \"quote\""


def test_text_with_tabs_newlines_and_backslashes_survives(world):
    at = datetime(2026, 11, 22, 1, 2, 3, 456789, tzinfo=timezone.utc)
    insert_rows(Notification, ["event", "user", "email", "subject", "body", "ref", "created_at", "attempts"],
                [("e", world.citizen.pk, "a@b.c", "s", TRICKY, "", at, 0),
                 ("e", None, "d@e.f", "", "", "r", at, 1)])
    first, second = Notification.objects.order_by("id")
    assert first.body == TRICKY and first.user_id == world.citizen.pk and first.created_at == at
    assert second.user_id is None and second.body == "" and second.subject == ""


def test_json_and_null_columns_survive(world):
    at = datetime(2026, 11, 22, tzinfo=timezone.utc)
    data = {"note": TRICKY, "n": 1, "list": [1, "二"]}
    insert_rows(AuditEvent, ["actor", "block", "hash", "at", "actor_label", "object_type", "object_id",
                             "action", "from_status", "to_status", "note", "data"],
                [(None, 0, "f" * 64, at, "system", "stage", 7, "x", "", "", TRICKY, data)])
    row = AuditEvent.objects.get(hash="f" * 64)
    assert row.data == data and row.note == TRICKY and row.actor_id is None


def test_any_of_selects_what_in_selects(world):
    """``__any_of`` (one array parameter on PostgreSQL) names the same rows as ``__in``, on a
    primary key and on a foreign key, and none for an empty list."""
    from django.contrib.auth import get_user_model

    from portal.organisation.models import StaffProfile

    users = get_user_model().objects
    ids = list(users.order_by("id").values_list("id", flat=True)[:5]) + [10**12]
    assert ids[:-1]
    assert sorted(users.filter(pk__any_of=ids).values_list("id", flat=True)) == \
        sorted(users.filter(pk__in=ids).values_list("id", flat=True))
    assert sorted(StaffProfile.objects.filter(user_id__any_of=ids).values_list("id", flat=True)) == \
        sorted(StaffProfile.objects.filter(user_id__in=ids).values_list("id", flat=True))
    assert not users.filter(pk__any_of=[]).exists()
    assert users.filter(pk__any_of=[]).update(first_name="x") == 0
