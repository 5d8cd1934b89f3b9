"""A message body as the inbox shows it: the text escaped, its lines kept, and every web address
a link with words on it instead of the address spelt out.

    {% load inbox_body %}
    {{ message.body|inbox_body }}

A notice names a page of the portal by its full address (SITE_URL, for e-mail and text
messages). In the inbox that page is a link "查看详情" to its path, so it opens on whichever host
serves the inbox; an address elsewhere keeps its own host as the link's words.
"""

import re
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# An address ends before whitespace, a quote or angle bracket, or Chinese punctuation; a
# sentence's full stop or comma after it is not part of it.
_URL = re.compile(r"https?://[^\s<>\"'，。；、）」】]+")
_TRAILING = ".,;:!?)]}"


def _own_host(host: str, request) -> bool:
    hosts = {urlsplit(settings.SITE_URL).netloc}
    if request is not None:
        hosts.add(request.get_host())
    return host in hosts


def _link(url: str, request) -> str:
    parts = urlsplit(url)
    if _own_host(parts.netloc, request):
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        return format_html('<a href="{}">{}</a>', target, _("View details"))
    return format_html('<a href="{}" rel="nofollow noopener noreferrer">{}</a>', url, parts.netloc)


@register.simple_tag(takes_context=True)
def inbox_body(context, body: str):
    """The body in HTML: everything escaped, addresses turned into labelled links, line breaks kept."""
    request = context.get("request")
    pieces, last = [], 0
    for match in _URL.finditer(body):
        url = match.group(0)
        stripped = url.rstrip(_TRAILING)
        end = match.start() + len(stripped)
        pieces.append(conditional_escape(body[last:match.start()]))
        pieces.append(_link(stripped, request))
        last = end
    pieces.append(conditional_escape(body[last:]))
    html = "".join(str(p) for p in pieces).strip()
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>"))
