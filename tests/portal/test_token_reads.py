"""The API's token authentication reads the caller's staff profile with him (one query for
what nearly every call asks next)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from portal.api.authentication import TokenAuthentication

pytestmark = pytest.mark.django_db


def test_every_persona_is_read_with_the_profile_a_fresh_read_finds(world):
    for user in User.objects.all():
        key = Token.objects.get_or_create(user=user)[0].key
        along, _ = TokenAuthentication().authenticate_credentials(key)
        fresh = User.objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as queries:
            profile = getattr(along, "staff_profile", None)
        assert len(queries) == 0, user.username
        assert (profile and profile.pk) == (getattr(fresh, "staff_profile", None) and fresh.staff_profile.pk)


def test_a_token_call_does_not_read_the_callers_profile_again(world, api):
    with CaptureQueriesContext(connection) as queries:
        assert api(world.reviewer_market).get("/api/stages/").status_code == 200
        assert api(world.citizen).get("/api/applications/").status_code == 200
    profile_reads = [q["sql"] for q in queries if 'FROM "organisation_staffprofile"' in q["sql"]]
    assert profile_reads == []


def test_an_unknown_token_and_an_inactive_user_are_refused_as_before(world, api):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/applications/").status_code == 401
    world.citizen.is_active = False
    world.citizen.save()
    assert api(world.citizen).get("/api/applications/").status_code == 401


def test_the_callers_roles_come_with_the_token_and_are_his_groups(world):
    from django.contrib.auth.models import Group

    from portal.organisation import roles

    extra = Group.objects.get_or_create(name=roles.PROJECT_MANAGER)[0]
    world.reviewer_market.groups.add(extra)  # two groups: both read along
    for user in User.objects.all():
        key = Token.objects.get_or_create(user=user)[0].key
        along, _ = TokenAuthentication().authenticate_credentials(key)
        with CaptureQueriesContext(connection) as queries:
            held = {role for role in roles.ALL_ROLES if roles.has_role(along, role)}
        assert len(queries) == 0, user.username
        assert held == set(user.groups.values_list("name", flat=True)) & set(roles.ALL_ROLES), user.username
    assert roles.has_role(TokenAuthentication().authenticate_credentials(
        Token.objects.get(user=world.reviewer_market).key)[0], roles.PROJECT_MANAGER)


def test_an_api_call_asks_no_query_of_its_own_for_the_callers_roles(world, api):
    with CaptureQueriesContext(connection) as queries:
        assert api(world.window).get("/api/applications/", {"status": "submitted"}).status_code == 200
        assert api(world.citizen).get("/api/applications/").status_code == 200
    assert [q["sql"] for q in queries if 'FROM "auth_group"' in q["sql"] and "auth_user_groups" in q["sql"]
            and "authtoken_token" not in q["sql"]] == []
