"""站内消息: the inbox page lists a person's messages newest first, pages by cursor without
counting his whole inbox, and marks read what it showed (only that)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.notifications.models import InboxMessage

pytestmark = pytest.mark.django_db


def test_the_inbox_pages_by_cursor_and_marks_read_what_it_showed(world, client):
    now = timezone.now()
    InboxMessage.objects.bulk_create(InboxMessage(user=world.citizen, subject=f"通知 {i}", body="正文",
                                                  created_at=now) for i in range(25))
    InboxMessage.objects.create(user=world.citizen2, subject="别人的通知", body="正文", created_at=now)
    client.force_login(world.citizen)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/inbox/").content.decode()
    # The header's unread badge counts at most 100 unread; nothing counts the inbox itself.
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "LIMIT" not in q["sql"].upper()]
    assert re.findall(r"<strong>(通知 \d+)</strong>", first)[:2] == ["通知 24", "通知 23"]
    assert first.count("data-message=") == 20 and "别人的通知" not in first
    assert InboxMessage.objects.filter(user=world.citizen, read_at__isnull=True).count() == 5
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/inbox/" + next_url).content.decode()
    assert re.findall(r"<strong>(通知 \d+)</strong>", second) == [f"通知 {i}" for i in range(4, -1, -1)]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert not InboxMessage.objects.filter(user=world.citizen, read_at__isnull=True).exists()
