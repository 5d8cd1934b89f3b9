"""The test suite's demo-world snapshot (tests/conftest.py) restores a database that behaves
like a freshly seeded one: a many-to-many add() right after a restore is kept (the join
tables' sequences follow the restored rows), foreign keys are enforced again, and what a committed
test changed is put back row for row."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, connection, transaction

from portal.organisation.models import Department, StaffProfile
from tests.conftest import _snapshot


@pytest.mark.postgres
@pytest.mark.django_db
def test_after_a_restore_many_to_many_adds_are_kept_and_foreign_keys_checked(world):
    assert _snapshot.restore()
    window = User.objects.get(username="window")
    housing = Department.objects.get(code="HOUSING")
    window.staff_profile.chief_representative_for.add(housing)
    window.groups.add(Group.objects.create(name="restored-then-added"))
    assert StaffProfile.objects.get(user=window).chief_representative_for.filter(pk=housing.pk).exists()
    assert User.objects.get(username="window").groups.filter(name="restored-then-added").exists()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's foreign keys are deferred to commit
        cursor.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)", [window.pk, 987654])



def _contents(cursor) -> dict[str, list[bytes]]:
    found = {}
    for table in _snapshot.tables:
        data = io.BytesIO()
        cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", data)
        found[table] = sorted(data.getvalue().splitlines())
    return found


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_puts_back_every_row_and_sequence_a_committed_test_changed(world):
    """A transactional test ends with a restore of only the tables it changed (tests/conftest.py):
    after an insert, an update, deletes and a sequence moved by a rolled-back insert, all
    committed, every table reads as the snapshot again and every sequence is back."""
    seeded = {table: sorted(data.splitlines()) for table, data in _snapshot.tables.items()}
    Group.objects.create(name="committed-then-restored")
    User.objects.filter(username="window").update(first_name="改过")
    assert world.window.groups.exists()
    world.window.groups.clear()
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(code="HOUSING", name="重复")  # taken: rolled back, its id spent
    with connection.cursor() as cursor:
        assert set(_snapshot.changed_tables(cursor)) == \
            {Group._meta.db_table, User._meta.db_table, User.groups.through._meta.db_table}
        assert _snapshot.sequence_values(cursor) != _snapshot.sequences
    assert _snapshot.restore()
    with connection.cursor() as cursor:
        assert _snapshot.changed_tables(cursor) == []
        assert _snapshot.sequence_values(cursor) == _snapshot.sequences
        assert _contents(cursor) == seeded
