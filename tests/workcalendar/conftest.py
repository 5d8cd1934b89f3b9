import pytest
from django.core.cache import cache

from portal.workcalendar import calendar


@pytest.fixture(autouse=True)
def fresh_calendar_snapshot():
    """Each test starts without a process snapshot: a rolled-back test leaves no signal behind."""
    calendar.forget_snapshot()
    cache.delete(calendar.CACHE_TOKEN_KEY)
    yield
    calendar.forget_snapshot()
    cache.delete(calendar.CACHE_TOKEN_KEY)
