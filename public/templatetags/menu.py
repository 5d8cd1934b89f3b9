"""``{% menu_links links current %}``: the header menu's links, written in Python. Every page
renders the menu, and the template's two ``{% for %}`` loops over it (ten links signed out, each
with four lookups and a comparison) were a quarter of a public page's rendering. The output is
the loops' own, character for character (tests/portal/test_anonymous_menu.py)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_CURRENT = ' aria-current="page"'


@register.simple_tag
def menu_links(links, current):
    """``<a href="url" id="id"[ aria-current="page"]>label</a>`` for each link, the one whose
    address is ``current`` marked (the labels in the reader's language, escaped)."""
    return mark_safe("".join(
        f'<a href="{conditional_escape(link.url)}" id="{conditional_escape(link.id)}"'
        f'{_CURRENT if link.url == current else ""}>{conditional_escape(link.label)}</a>'
        for link in links or ()))
