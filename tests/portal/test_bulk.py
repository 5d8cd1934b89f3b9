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


def _row(model, pk, exclude=("id",)):
    return {k: v for k, v in model.objects.filter(pk=pk).values()[0].items() if k not in exclude}


def test_insert_instance_writes_the_row_save_writes(world, tmp_path, settings):
    """A new application and an uploaded file go in as ``save()`` would write them: every column
    (defaults and the FSM's status included), the id read back or given, the file stored under
    its upload_to name; the instance is then a saved one."""
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.utils import timezone

    from approvals.models import Application, MaterialFile
    from portal.bulk import insert_instance, reserve_ids
    from portal.catalogue.models import ServiceItem

    settings.MEDIA_ROOT = str(tmp_path)
    item = ServiceItem.objects.get(code="MKT-002")
    now = timezone.now()

    def application(**extra):
        return Application(service=item, applicant=world.citizen, applicant_name="陈民",
                           applicant_id_number="11010519491231002X", applicant_phone="13800138000",
                           created_by=world.citizen, created_at=now, **extra)

    saved, inserted = application(), application()
    saved.save()
    inserted.pk = reserve_ids(Application, 1)[0]
    insert_instance(inserted)
    assert inserted.pk > 0 and not inserted._state.adding and inserted._state.db == connection.alias
    mine, django = _row(Application, inserted.pk), _row(Application, saved.pk)
    assert mine.pop("tracking_code") != django.pop("tracking_code")  # a default made per instance
    assert mine == django

    files = []
    for name in ("a.pdf", "b.pdf"):
        files.append(MaterialFile(application=inserted, requirement=item.materials.first(),
                                  file=ContentFile(b"%PDF-1.4 x", name=name), original_name=name,
                                  content_type="application/pdf", size=10, sha256="0" * 64,
                                  uploaded_by=world.citizen, uploaded_at=now))
    files[0].save()
    insert_instance(files[1])  # no id given: the sequence's, read back
    assert files[1].pk > files[0].pk
    assert files[1].file.name.startswith(f"applications/{now:%Y}/{now:%m}/b")
    assert (tmp_path / files[1].file.name).read_bytes() == b"%PDF-1.4 x"
    assert _row(MaterialFile, files[1].pk, ("id", "file", "original_name")) == \
        _row(MaterialFile, files[0].pk, ("id", "file", "original_name"))


def test_insert_instance_falls_back_to_save_where_save_does_more(world):
    """A model with a post_save receiver is saved by Django (the receiver runs), an expression
    as a value is left to Django to compile."""
    from django.db.models import Value
    from django.db.models.functions import Upper
    from django.db.models.signals import post_save

    from portal.bulk import insert_instance

    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    at = datetime(2026, 11, 22, tzinfo=timezone.utc)
    post_save.connect(receiver, sender=Notification, dispatch_uid="test-insert-instance")
    first = Notification(event="e", email="a@b.c", created_at=at)
    try:
        assert insert_instance(first) == []
    finally:
        post_save.disconnect(dispatch_uid="test-insert-instance", sender=Notification)
    assert seen == [(first.pk, True)]
    second = Notification(event=Upper(Value("e")), email="a@b.c", created_at=at)
    [reserved] = insert_instance(second, reserve=Notification)
    assert Notification.objects.get(pk=second.pk).event == "E" and reserved > second.pk


@pytest.mark.postgres  # sequences (SQLite's single writer numbers after the highest id)
def test_an_id_reserved_along_is_a_fresh_one_of_that_table(world):
    """``insert_instance(…, reserve=Model)`` and ``reserve_one_each`` give ids of the models'
    own sequences: new, distinct, never one another id was given."""
    from portal.audit.models import AuditEvent
    from portal.bulk import insert_instance, reserve_ids, reserve_one_each

    at = datetime(2026, 11, 22, tzinfo=timezone.utc)
    before = reserve_ids(AuditEvent, 1)[0]
    [along] = insert_instance(Notification(event="e", email="a@b.c", created_at=at), reserve=AuditEvent)
    notification_id, again = reserve_one_each(Notification, AuditEvent)
    after = reserve_ids(AuditEvent, 1)[0]
    assert before < along < again < after
    assert notification_id > Notification.objects.order_by("-id").values_list("id", flat=True)[0]
    assert insert_instance(Notification(event="e", email="a@b.c", created_at=at)) == []
