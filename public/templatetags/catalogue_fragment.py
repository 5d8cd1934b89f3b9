"""``{% catalogue_fragment source "name" %}…{% endcatalogue_fragment %}``: the enclosed part of a
public page rendered once per process, language and catalogue version when ``source`` is the
cached published catalogue (or one of its items), and rendered as usual for anything else (a
search's results). Rendering the catalogue's 56 cards or rows was nine tenths of the home and
catalogue pages' cost. The enclosed part may use only ``source`` and what is the same for every
reader in a language: never the user, CSRF tokens, the session or the request."""

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.catalogue.selectors import catalogue_derived

register = template.Library()


class CatalogueFragmentNode(template.Node):
    def __init__(self, nodelist, source, name):
        self.nodelist, self.source, self.name = nodelist, source, name

    def render(self, context):
        source = self.source.resolve(context)
        key = ("fragment", self.name, get_language(), get_script_prefix())
        return catalogue_derived(source, key, lambda: mark_safe(self.nodelist.render(context)))


@register.tag
def catalogue_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a source and a quoted name")
    nodelist = parser.parse(("endcatalogue_fragment",))
    parser.delete_first_token()
    name = bits[2]
    if not (name[0] == name[-1] and name[0] in "\"'"):
        raise template.TemplateSyntaxError(f"{bits[0]}: the name must be quoted")
    return CatalogueFragmentNode(nodelist, parser.compile_filter(bits[1]), name[1:-1])
