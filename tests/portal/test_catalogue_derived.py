"""The catalogue's rendered fragments and serialized API output are made once per process,
language and catalogue version (issue 9 item 9): a change shows at once everywhere, languages
are never mixed, and the rest of a page stays the reader's own."""

import json
import re

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.utils import translation

from portal.catalogue import selectors
from portal.catalogue.api import RenderedList, ServiceOutput
from portal.catalogue.models import ServiceItem
from portal.catalogue.selectors import catalogue_changed, catalogue_derived, published_catalogue, published_items

pytestmark = pytest.mark.django_db

PAGES = ["/", "/services/", "/services/MKT-002/"]


def page(client, path, language="zh-hans"):
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def mkt_card(home):
    return re.search(r'<div class="card">\s*<div class="muted">MKT-002 .*?</div>\s*</div>', home, re.S).group(0)


def test_a_saved_change_shows_at_once_on_every_page_and_in_the_api(world, client, api):
    for path in PAGES:
        assert "新名称" not in page(client, path)
    assert "Committed 10 working days (statutory 20)" in mkt_card(page(client, "/", "en"))
    before = api().get("/api/services/MKT-002/").json()
    item = ServiceItem.objects.get(code="MKT-002")
    item.name, item.committed_days = "新名称", 9
    item.save()
    for path in PAGES:
        assert "新名称" in page(client, path), path
    assert "/apply/MKT-002/" in mkt_card(page(client, "/", "en"))
    assert "Committed 9 working days (statutory 20)" in mkt_card(page(client, "/", "en"))
    listed = {s["code"]: s for s in api().get("/api/services/").json()}
    assert listed["MKT-002"]["name"] == "新名称" and listed["MKT-002"]["committed_days"] == 9
    assert api().get("/api/services/MKT-002/").json() == {
        **before, "name": "新名称", "committed_days": 9, "stages": [{**before["stages"][0], "days": 9}]}


def test_a_change_of_a_material_or_department_shows_on_the_item_page(world, client):
    page(client, "/services/MKT-002/")
    material = ServiceItem.objects.get(code="MKT-002").materials.first()
    material.name = "新材料名称"
    material.save()
    assert "新材料名称" in page(client, "/services/MKT-002/")
    department = ServiceItem.objects.get(code="MKT-002").department
    department.name = "新部门名称"
    department.save()
    for path in PAGES:
        assert "新部门名称" in page(client, path), path


def test_the_fragments_are_kept_until_the_version_changes(world, client):
    """update() sends no signal: the kept fragments still show the old name (they are kept),
    until the version is dropped, as another process's change drops it."""
    for path in PAGES:
        page(client, path)
    ServiceItem.objects.filter(code="MKT-002").update(name="未通知的名称")
    for path in PAGES:
        assert "未通知的名称" not in page(client, path), path
    cache.delete(selectors._cache_key())  # what catalogue_changed does in another process
    for path in PAGES:
        assert "未通知的名称" in page(client, path), path


def test_each_language_has_its_own_fragments(world, client, api):
    item = ServiceItem.objects.get(code="MKT-002")
    assert item.name_en and item.name_en != item.name
    for _ in range(2):  # built, then kept: the other language's never served
        for path in PAGES:
            zh, en = page(client, path), page(client, path, "en")
            as_title = re.compile(rf">{item.name}[ <]")  # the name itself, not in a legal citation
            assert as_title.search(zh) and item.name_en not in zh, path
            assert item.name_en in en and not as_title.search(en), path
            assert ("Apply online" in en and "Apply online" not in zh) or path == "/services/"
    assert api().get("/api/services/", HTTP_ACCEPT_LANGUAGE="en").json() == api().get("/api/services/").json()


def test_a_signed_in_readers_page_stays_his_own(world, client):
    anonymous = page(client, "/")
    assert "nav-sign-in" in anonymous
    client.force_login(world.citizen)
    signed_in = page(client, "/")
    assert "nav-sign-in" not in signed_in and 'action="/logout/"' in signed_in
    client.logout()
    again = page(client, "/")
    assert "nav-sign-in" in again and 'action="/logout/"' not in again

    def tokens(html):
        return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)

    assert tokens(signed_in) and tokens(signed_in) != tokens(again)  # the token is each reader's, not kept
    cards = re.search(r'<div class="grid">.*?</div>\n<div class="card">', anonymous, re.S).group(0)
    assert cards in signed_in and cards in again  # the catalogue part is the same for all


def test_a_search_is_not_served_the_whole_catalogue(world, client):
    page(client, "/services/")
    found = page(client, "/services/?q=MKT-002")
    assert "MKT-002" in found and "FIRE-002" not in found
    assert "FIRE-002" in page(client, "/services/")
    assert "No service matches" in page(client, "/services/?q=nothing-like-this", "en")


def test_the_api_answers_what_the_serializer_makes(world, api):
    fresh = json.loads(json.dumps(ServiceOutput(list(published_items()), many=True).data))
    assert api().get("/api/services/").json() == fresh
    assert api().get("/api/services/").json() == fresh  # the kept one
    mkt = next(s for s in fresh if s["code"] == "MKT-002")
    assert api().get("/api/services/MKT-002/").json() == mkt
    assert api().get("/api/services/MKT-002/").json() == mkt


def test_the_kept_json_is_the_bytes_the_renderer_writes(world, api):
    """/api/services/ writes the JSON encoded when the list was kept: the same bytes as encoding
    the serializer's list anew, a changed item's too; indented or browsable, it is rendered anew."""
    from rest_framework.renderers import JSONRenderer

    def fresh():
        return JSONRenderer().render(ServiceOutput(list(published_items()), many=True).data)

    for _ in range(2):
        response = api().get("/api/services/")
        assert response["Content-Type"] == "application/json" and response.content == fresh()
        assert isinstance(response.data, RenderedList)  # the kept list, written as kept
    item = ServiceItem.objects.get(code="MKT-002")
    item.name = "新名称"
    item.save()
    assert api().get("/api/services/").content == fresh() and "新名称" in api().get("/api/services/").json()[
        [s["code"] for s in api().get("/api/services/").json()].index("MKT-002")]["name"]
    indented = api().get("/api/services/", HTTP_ACCEPT="application/json; indent=4")
    assert indented.content.startswith(b'[\n    {\n        "code"') and indented.json() == json.loads(fresh())
    browsable = api().get("/api/services/", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200 and "MKT-002" in browsable.content.decode()


def test_only_the_held_catalogue_is_kept(world):
    items = published_catalogue()
    built = []

    def build():
        built.append(1)
        return len(built)

    assert catalogue_derived(items, ("t",), build) == 1
    assert catalogue_derived(items, ("t",), build) == 1  # kept
    assert catalogue_derived(items[0], ("t",), build) == 2  # one item: its own entry
    assert catalogue_derived(list(items), ("t",), build) == 3  # a copy: not the held list
    assert catalogue_derived(list(items), ("t",), build) == 4
    assert catalogue_derived(published_items(), ("t",), build) == 5  # a queryset: built each time
    catalogue_changed()
    fresh = published_catalogue()
    assert fresh is not items and catalogue_derived(fresh, ("t",), build) == 6
    assert catalogue_derived(fresh, ("t",), build) == 6
    assert catalogue_derived(items, ("t",), build) == 7  # the old list: no longer held
    assert catalogue_derived(items, ("t",), build) == 8


def test_the_tag_renders_a_search_each_time(world):
    template = Template('{% load catalogue_fragment %}{% catalogue_fragment items "t" %}'
                        '{% for i in items %}{{ i.code }},{% endfor %}{% endcatalogue_fragment %}')
    held = published_catalogue()
    with translation.override("en"):
        whole = template.render(Context({"items": held}))
        assert whole == "".join(f"{i.code}," for i in held)
        assert template.render(Context({"items": held[:1]})) == f"{held[0].code},"
