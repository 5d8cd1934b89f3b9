"""Checks of applicant data: resident ID numbers (GB 11643-1999) and mobile numbers."""

import re
from datetime import date

_ID_RE = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-character resident ID number, or None."""
    from django.utils.translation import gettext as _

    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        return _("A resident ID number has 17 digits followed by a digit or X.")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("The date of birth in this ID number does not exist.")
    if id_check_digit(value[:17]) != value[17]:
        return _("The check digit of this ID number is wrong; please check every digit.")
    return None


def mobile_problem(value: str) -> str | None:
    from django.utils.translation import gettext as _

    if not _MOBILE_RE.match((value or "").strip()):
        return _("A mobile number has 11 digits and starts with 13-19.")
    return None


def mask_id_number(value: str) -> str:
    """Lists show only the region and the last four characters (个人信息保护)."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
