"""How every API response writes a moment in time."""

from django.utils import timezone


def iso(value):
    """ISO 8601 in local time with its offset; a due_at (24:00) reads as 23:59:59."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None
