"""The API's JSON parser: DRF's, with limits an attacker cannot step over.

Python's JSON decoder recurses once per nesting level, so a body nested a few thousand deep
ends in a RecursionError (a 500); a NUL character in a string would reach PostgreSQL, which
refuses it in text columns (another 500). Both are refused here, before decoding, as a
parse error (400 in the envelope)."""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

# Strings (with their escapes) are skipped when counting brackets: "[[[" inside a string is text.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_ESCAPED_NUL = re.compile(r"\\u0000", re.IGNORECASE)


def json_depth(text: str) -> int:
    """How deeply ``text`` nests arrays and objects (0 for a scalar)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON nested at most ``settings.API_JSON_MAX_DEPTH`` deep, without NUL characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = get_encoding(parser_context or {})
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The request body is not valid UTF-8 text.")) from None
        if "\x00" in text or _ESCAPED_NUL.search(text):
            raise ParseError(_("The request contains a NUL character."))
        if json_depth(text) > settings.API_JSON_MAX_DEPTH:
            raise ParseError(_("The JSON body is nested too deeply (at most %(depth)d levels).")
                             % {"depth": settings.API_JSON_MAX_DEPTH})
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as exc:
            raise ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from None
