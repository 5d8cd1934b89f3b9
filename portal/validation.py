"""Checks of what people type, written once: the API's serializer field ``Text``, the pages'
form field ``TextField`` and the services all use them.

- Text is trimmed, zero-width characters at its ends included, and a required text must
  keep visible content (spaces and a zero-width space are not a complaint).
- Control characters are refused (line breaks and tabs only in multi-line text), as are the
  bidirectional overrides that make a name display as something else.
- Every free text has a length limit: its column's, or TEXT_MAX_LENGTH for unbounded ones.
- Digits are ASCII digits: ``\\d`` in Python also matches full-width and Arabic-Indic digits,
  so the patterns here spell out [0-9].
- A resident ID number (GB 11643-1999) carries a birth date that exists, is not in the
  future and not before 1900, and the right check character."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import empty

# Free text without a column limit (descriptions, answers, opinions): about ten pages.
TEXT_MAX_LENGTH = 5000
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_EDGES = "".join(chr(c) for c in range(0x21) if chr(c).isspace() or c < 0x20) + INVISIBLE
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile("[\t\n\r\u2028\u2029]")

_ID_RE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
EARLIEST_BIRTH_YEAR = 1900


def visible_text(value: str) -> str:
    """``value`` without whitespace and invisible characters at either end."""
    return value.strip().strip(_EDGES).strip()


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """Why ``value`` (already trimmed) cannot be stored as text, or None."""
    if _CONTROL.search(value) or (not multiline and _LINE_BREAK.search(value)):
        return _("Control characters are not allowed in this text.")
    return None


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-character resident ID number, or None."""
    value = (value or "").strip().upper()
    if not _ID_RE.fullmatch(value):
        return _("A resident ID number has 17 digits followed by a digit or X.")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("The date of birth in this ID number does not exist.")
    if born.year < EARLIEST_BIRTH_YEAR or born > timezone.localdate():
        return _("The date of birth in this ID number is not plausible.")
    if id_check_digit(value[:17]) != value[17]:
        return _("The check digit of this ID number is wrong; please check every digit.")
    return None


def mobile_problem(value: str) -> str | None:
    if not _MOBILE_RE.fullmatch((value or "").strip()):
        return _("A mobile number has 11 digits and starts with 13-19.")
    return None


def mask_id_number(value: str) -> str:
    """Lists show only the region and the last four characters (个人信息保护)."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class Text(serializers.CharField):
    """Text as people type it (``portal.validation``): trimmed, invisible characters at the
    ends included, so a required text of spaces and zero-width spaces is blank; no control
    characters (``multiline=False``: no line breaks either); at most ``max_length``
    characters, TEXT_MAX_LENGTH when the column sets no limit."""

    def __init__(self, *, multiline: bool = True, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        self.multiline = multiline
        super().__init__(**kwargs)

    def run_validation(self, data=empty):
        if isinstance(data, str):
            data = visible_text(data)
        return super().run_validation(data)

    def to_internal_value(self, data):
        value = visible_text(super().to_internal_value(data))
        problem = text_problem(value, multiline=self.multiline)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class TextField(forms.CharField):
    """Text as people type it: trimmed (invisible characters at the ends included, so a
    required text of spaces and zero-width spaces is missing), no control characters
    (``multiline=False``: no line breaks either), at most ``max_length`` characters,
    TEXT_MAX_LENGTH when the column sets no limit."""

    def __init__(self, *, multiline: bool = True, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return visible_text(value) if isinstance(value, str) else value

    def validate(self, value):
        super().validate(value)
        problem = text_problem(value or "", multiline=self.multiline)
        if problem:
            raise forms.ValidationError(problem, code="control_characters")
