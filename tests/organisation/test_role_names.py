"""Roles are the user's group names (portal.organisation.roles), read by one SQL query."""

import pytest
from django.contrib.auth.models import Group, User

from portal.organisation import roles

pytestmark = pytest.mark.django_db


def test_every_persona_s_roles_are_his_group_names(world):
    for user in User.objects.all():
        assert roles._group_names(user.pk) == set(user.groups.values_list("name", flat=True)), user.username


def test_a_new_group_counts_on_the_next_request_not_within_one(world):
    citizen = User.objects.get(username="citizen")
    assert not roles.has_role(citizen, roles.REVIEWER)
    citizen.groups.add(Group.objects.get(name=roles.REVIEWER))
    assert not roles.has_role(citizen, roles.REVIEWER)  # read once per user object (a request)
    assert roles.has_role(User.objects.get(username="citizen"), roles.REVIEWER)
