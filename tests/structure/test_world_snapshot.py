"""The test suite's demo-world snapshot (tests/conftest.py) restores a database that behaves
like a freshly seeded one: a many-to-many add() right after a restore is kept (the join
tables' sequences follow the restored rows), and foreign keys are enforced again."""

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
