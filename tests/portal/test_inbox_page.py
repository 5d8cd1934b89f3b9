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


def test_a_message_body_is_escaped_and_its_address_becomes_a_labelled_link(world, client, settings):
    settings.SITE_URL = "https://portal.example.gov.cn"
    body = ('<script>alert(1)</script> <a href="javascript:x()">点我</a>\n'
            "查看：https://portal.example.gov.cn/applications/7/?tab=files&x=1。\n"
            "另见 https://www.gov.cn/zhengce/ 和 http://evil.example/\"onmouseover=\"x")
    InboxMessage.objects.create(user=world.citizen, subject="通知", body=body, created_at=timezone.now())
    client.force_login(world.citizen)
    html = client.get("/inbox/").content.decode()
    shown = html.split('class="body">')[1].split("</div>")[0]
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert '&lt;a href=&quot;javascript:x()&quot;&gt;' in shown and 'href="javascript' not in shown
    # The portal's own page: its path (whatever host serves the inbox) with words, not the address.
    assert '<a href="/applications/7/?tab=files&amp;x=1">查看详情</a>。' in shown
    assert "portal.example.gov.cn" not in shown
    # An address elsewhere keeps its host as the words; a quote ends it, so no attribute is injected.
    assert '<a href="https://www.gov.cn/zhengce/" rel="nofollow noopener noreferrer">www.gov.cn</a>' in shown
    assert '<a href="http://evil.example/" rel="nofollow noopener noreferrer">evil.example</a>&quot;onmouseover' in shown
    assert shown.count("<br>") == 2


def test_the_address_of_the_host_serving_the_inbox_is_also_a_path(world, client, settings):
    settings.SITE_URL = "https://portal.example.gov.cn"
    InboxMessage.objects.create(user=world.citizen, subject="通知", body="http://testserver/inbox/",
                                created_at=timezone.now())
    client.force_login(world.citizen)
    html = client.get("/inbox/").content.decode()
    assert '<div class="body"><a href="/inbox/">查看详情</a></div>' in html
