"""``{% shared_part [name …] %}…{% endshared_part %}``: a part of a template that is the same for
every reader in a language, rendered once per process, language, script prefix and values of the
context variables ``name …`` it names, then written out as kept. The header, footer and forms
around every public page were most of its rendering: some forty translations, addresses,
static files and conditions, each evaluated on every request to write the same characters.

The enclosed part may use only the named variables and what is the same for everyone in a
language (translations, ``{% url %}``, ``{% static %}``): never the user, the session, the
request, a CSRF token or a form's values. ``{% csrf_token %}`` and ``{% block %}`` are refused
inside it; the parts of a page that are the reader's own go between two shared parts. The kept
renderings belong to the compiled template (a reloaded template starts afresh) and are dropped
when a setting changes (a test's override)."""

from django import template
from django.core.signals import setting_changed
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# A bound on what one part keeps, should a named variable take many values (it should not).
MAX_KEPT = 64
_generation = 0


def _settings_changed(**kwargs) -> None:
    global _generation
    _generation += 1


setting_changed.connect(_settings_changed)


def _script_prefix(context) -> str:
    """The script prefix, read once per rendering (a page has a dozen shared parts) rather than
    from its thread-local by each part. The language is read by each part: {% language %} may
    change it within a rendering."""
    prefix = context.render_context.get(_script_prefix)
    if prefix is None:
        prefix = context.render_context[_script_prefix] = get_script_prefix()
    return prefix


class SharedPartNode(template.Node):
    # Not walked by get_nodes_by_type (every {% extends %} walks its base template for blocks):
    # the part holds no block.
    child_nodelists = ()

    def __init__(self, nodelist, names):
        self.nodelist, self.names = nodelist, names
        self.kept: dict[tuple, str] = {}
        self.generation = _generation

    def render(self, context):
        if self.generation != _generation:
            self.kept, self.generation = {}, _generation
        key = (get_language(), _script_prefix(context), *(name.resolve(context) for name in self.names))
        try:
            return self.kept[key]
        except KeyError:
            pass
        rendered = mark_safe(self.nodelist.render(context))
        if len(self.kept) >= MAX_KEPT:
            self.kept = {}
        self.kept[key] = rendered
        return rendered


@register.tag
def shared_part(parser, token):
    bits = token.split_contents()
    nodelist = parser.parse(("endshared_part",))
    parser.delete_first_token()
    for node_type, what in ((BlockNode, "{% block %}"), (CsrfTokenNode, "{% csrf_token %}")):
        if nodelist.get_nodes_by_type(node_type):
            raise template.TemplateSyntaxError(f"{bits[0]} cannot hold a {what}: it is not the same for everyone")
    return SharedPartNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
