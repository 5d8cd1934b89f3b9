"""全程留痕 on the stage and application pages: the history (办理记录) box never stands empty —
without a record it says so (暂无记录), e.g. for an application imported as history."""

import pytest

from portal.audit.models import AuditEvent
from tests.approvals.helpers import imported_stage

pytestmark = pytest.mark.django_db


def test_a_stage_without_records_says_no_records_yet(world, client):
    stage = imported_stage(world)
    assert not AuditEvent.objects.filter(object_type="application", object_id=stage.application_id).exists()
    client.force_login(world.reviewer_housing)
    page = client.get(f"/stages/{stage.pk}/").content.decode()
    assert 'id="history-empty"' in page and "暂无记录" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/stages/{stage.pk}/").content.decode()
    assert "No records yet." in page


def test_the_application_page_says_so_too_and_lists_records_once_there_are_some(world, client):
    stage = imported_stage(world)
    client.force_login(world.window)
    page = client.get(f"/applications/{stage.application_id}/").content.decode()
    assert 'id="history-empty"' in page
    client.force_login(world.reviewer_housing)
    client.post(f"/stages/{stage.pk}/act/claim/")
    page = client.get(f"/stages/{stage.pk}/").content.decode()
    assert 'id="history-empty"' not in page
