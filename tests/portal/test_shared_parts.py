"""The parts of a page that are the same for everyone are rendered once per process (issue 9 item
9, public.templatetags.shared_part): what is the reader's own between them — his CSRF tokens,
the page's address, his display mode, his language, the current page in the menu, the
supervisor's banner, messages — is still his on every request."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.utils import translation

from tests.portal.test_catalogue_derived import page

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_each_form_carries_a_token_valid_for_its_reader(world):
    """Two readers signed out, one after the other: each page's two header forms post with the
    token the page gave that reader, and not with the other reader's."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = {}
    for client in (first, second, first):
        html = page(client, "/services/")
        found = TOKEN.findall(html)
        assert len(found) == 2
        tokens[client] = found
        language_form, elder_form = found
        assert client.post("/i18n/setlang/", {"language": "en", "next": "/",
                                              "csrfmiddlewaretoken": language_form}).status_code == 302
        assert client.post("/display/large-text/", {"on": "1", "next": "/",
                                                    "csrfmiddlewaretoken": elder_form}).status_code == 302
        client.cookies.pop("display_large", None)
    stranger = Client(enforce_csrf_checks=True)
    page(stranger, "/")
    assert stranger.post("/i18n/setlang/", {"language": "en", "next": "/",
                                            "csrfmiddlewaretoken": tokens[second][0]}).status_code == 403


def test_the_page_address_and_current_link_are_each_pages_own(world, client):
    for path, current in [("/", None), ("/track/", "nav-track"), ("/services/?q=%E9%A3%9F", "nav-services"),
                          ("/services/MKT-002/", "nav-services"), ("/", None)]:
        html = page(client, path)
        bare = path.split("?")[0]
        assert f'<a href="/login/?next={bare}" id="nav-sign-in">' in html
        assert html.count(f'<input name="next" type="hidden" value="{path.replace("&", "&amp;")}">') == 2
        marked = re.findall(r'id="(nav-[a-z-]+)" aria-current="page"', html)
        assert marked == ([current] if current else [])


def test_language_and_display_mode_are_each_readers_own(world):
    plain, elder = Client(), Client()
    elder.cookies["display_large"] = "1"
    for _ in range(2):
        for language, words in (("zh-hans", "长者模式"), ("en", "Large text")):
            html = page(plain, "/", language)
            assert f'<html lang="{language}">' in html and f">{words}</button>" in html
            assert 'aria-pressed="false"' in html and 'name="on" value="1"' in html
            html = page(elder, "/", language)
            assert f'<html lang="{language}" class="elder">' in html and f">{words}</button>" not in html
            assert 'aria-pressed="true"' in html and 'name="on" value="0"' in html
        assert "English</button>" in page(plain, "/track/") and "中文</button>" in page(plain, "/track/", "en")


def test_signed_in_menus_banners_and_messages_stay_personal(world, client, settings):
    settings.SWEEP_STALE_SECONDS = 60
    page(client, "/")  # the signed-out header kept first
    client.force_login(world.supervisor)
    html = page(client, "/")
    assert 'id="stale-sweep"' in html and 'id="nav-sign-in"' not in html and 'id="nav-inbox"' in html
    client.force_login(world.citizen)
    html = page(client, "/services/")
    assert 'id="stale-sweep"' not in html and 'id="nav-my-applications"' in html
    client.logout()
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode([Message(constants.SUCCESS, "Done <b>")])
    html = page(client, "/services/")
    assert '<p class="msg success">Done &lt;b&gt;</p>' in html and 'id="nav-sign-in"' in html
    assert 'class="messages"' not in page(client, "/services/")


def test_a_shared_part_is_kept_per_language_and_named_value():
    template = Template('{% load i18n shared_part %}{% shared_part mode %}{% translate "Track" %} {{ mode }} '
                        '{{ other }}{% endshared_part %}')
    with translation.override("en"):
        assert template.render(Context({"mode": 1, "other": "a"})) == "Track 1 a"
        assert template.render(Context({"mode": 1, "other": "b"})) == "Track 1 a"  # not named: kept
        assert template.render(Context({"mode": 2, "other": "b"})) == "Track 2 b"
    with translation.override("zh-hans"):
        assert template.render(Context({"mode": 1, "other": "c"})) == "办件查询 1 c"


def test_a_shared_part_inside_a_language_block_follows_that_language():
    template = Template('{% load i18n shared_part %}{% shared_part %}{% translate "Track" %}{% endshared_part %}|'
                        '{% language other %}{% shared_part %}{% translate "Track" %}{% endshared_part %}'
                        '{% endlanguage %}')
    with translation.override("zh-hans"):
        assert template.render(Context({"other": "en"})) == "办件查询|Track"
        assert template.render(Context({"other": "zh-hans"})) == "办件查询|办件查询"
    with translation.override("en"):
        assert template.render(Context({"other": "zh-hans"})) == "Track|办件查询"


def test_a_shared_part_in_a_block_the_parent_renders_in_another_language_follows_it():
    from django.template import Engine

    engine = Engine(libraries={"i18n": "django.templatetags.i18n", "shared_part": "public.templatetags.shared_part"},
                    loaders=[("django.template.loaders.locmem.Loader", {
                        "parent": '{% load i18n %}{% block a %}{% endblock %}|'
                                  '{% language other %}{% block b %}{% endblock %}{% endlanguage %}',
                        "child": '{% extends "parent" %}{% load i18n shared_part %}'
                                 '{% block a %}{% shared_part %}{% translate "Track" %}{% endshared_part %}{% endblock %}'
                                 '{% block b %}{% shared_part %}{% translate "Track" %}{% endshared_part %}{% endblock %}'})])
    child = engine.get_template("child")
    with translation.override("zh-hans"):
        assert child.render(Context({"other": "en"})) == "办件查询|Track"
        assert child.render(Context({"other": "zh-hans"})) == "办件查询|办件查询"


def test_a_setting_change_drops_what_was_kept(settings):
    template = Template("{% load static shared_part %}{% shared_part %}{% static 'a.css' %}{% endshared_part %}")
    assert template.render(Context()) == "/static/a.css"
    settings.STATIC_URL = "/elsewhere/"
    assert template.render(Context()) == "/elsewhere/a.css"


@pytest.mark.parametrize("inside", ["{% csrf_token %}", "{% block b %}{% endblock %}",
                                    "{% if x %}{% csrf_token %}{% endif %}"])
def test_what_is_never_the_same_for_everyone_is_refused_inside(inside):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load shared_part %}{% shared_part %}" + inside + "{% endshared_part %}")
