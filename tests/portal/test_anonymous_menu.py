"""The signed-out menu is reversed once per process (issue 9 item 9): it still names its links in
each reader's language, marks each page's own link, and no caller changes it for the next."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from public.navigation import links_for

pytestmark = pytest.mark.django_db


def menu(client, path, language):
    client.cookies["django_language"] = language
    html = client.get(path).content.decode()
    nav = re.search(r'<nav class="nav" id="site-nav".*?</nav>', html, re.S).group(0)
    return nav, re.findall(r'<a href="([^"]+)" id="(nav-[a-z-]+)"( aria-current="page")?>([^<]+)</a>', nav)


def test_the_signed_out_menu_in_each_language_with_the_current_page_marked(world, client):
    for _ in range(2):  # the first request builds the menu, the second reads the kept one
        _, zh = menu(client, "/services/", "zh-hans")
        _, en = menu(client, "/track/", "en")
        assert [(href, id_) for href, id_, _, _ in zh if id_ != "nav-sign-in"] == [
            (href, id_) for href, id_, _, _ in en if id_ != "nav-sign-in"]
        assert ("/login/?next=/track/", "nav-sign-in") in [(href, id_) for href, id_, _, _ in en]
        labels_en = {id_: label for _, id_, _, label in en}
        labels_zh = {id_: label for _, id_, _, label in zh}
        assert labels_en["nav-services"] == "Services" and labels_en["nav-track"] == "Track"
        assert labels_zh["nav-services"] != "Services" and re.search(r"[\u4e00-\u9fff]", labels_zh["nav-track"])
        assert [id_ for _, id_, current, _ in zh if current] == ["nav-services"]
        assert [id_ for _, id_, current, _ in en if current] == ["nav-track"]
    client.force_login(world.citizen)
    nav, links = menu(client, "/services/", "en")
    assert "nav-my-applications" in {id_ for _, id_, _, _ in links} and "nav-sign-in" not in nav


def test_a_caller_changing_its_menu_changes_no_one_elses():
    primary, more = links_for(AnonymousUser())
    count = (len(primary), len(more))
    primary.clear()
    more.append(more[0])
    again = links_for(AnonymousUser())
    assert (len(again[0]), len(again[1])) == count


LOOP = ('{% for link in links %}<a href="{{ link.url }}" id="{{ link.id }}"{% if link.url == current %}'
        ' aria-current="page"{% endif %}>{{ link.label }}</a>{% endfor %}')


@pytest.mark.parametrize("persona", [None, "citizen", "window", "reviewer_market", "supervisor"])
def test_the_menu_tag_writes_what_the_template_loop_wrote(world, persona):
    """public.templatetags.menu: the same characters as the loop it replaced, for every persona's
    menu in both languages, with each link current in turn, none, and text that needs escaping."""
    from django.template import Context, Template
    from django.utils.translation import override

    from public.navigation import Link

    user = getattr(world, persona) if persona else AnonymousUser()
    primary, more = links_for(user)
    odd = [Link("nav-x", 'A & B <"quoted">', "/x/?a=1&b=<2>"), Link("nav-y", "Ünïcode 办事", "/y/")]
    tag = Template("{% load menu %}{% menu_links links current %}")
    loop = Template(LOOP)
    for language in ("zh-hans", "en"):
        with override(language):
            for links in (primary, more, odd, [], None):
                for current in [None, "/nowhere/", *(link.url for link in links or [])]:
                    context = {"links": links, "current": current}
                    assert tag.render(Context(context)) == loop.render(Context(context)), (language, current)
