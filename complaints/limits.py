"""The limits of complaints and ratings, and the instants of their reminders (SPEC §2, §3).

Counting follows SPEC §3: the day of the event is not counted, and a limit of N
working days ends at 24:00 local of the Nth working day after the event's date.

Reminder and escalation of a missed complaint limit, precisely:

* the **reminder** goes out at the start (00:00 local) of the first working day after
  the due date — the day after the missed limit, skipping weekends and holidays, so
  nobody is reminded on a Sunday of a limit that ended on Friday. When the day after
  the due date is a working day this is the very moment the limit is missed;
* the **escalation** to the supervisors goes out at the start of the 5th working day
  after the reminder day ("5 working days later").

Like every clock here, an instant has come when ``now > instant``; each is stored as
the last microsecond of the previous day, so the same comparison serves both.

Ratings (好差评): the applicant may rate until 24:00 of the 7th calendar day after the
decision date; afterwards the rating counts as 基本满意. A bad rating's follow-up is
due in ``EVALUATION_FOLLOW_UP_WORKING_DAYS`` working days (default 5).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from portal.workcalendar.arithmetic import end_of_day
from portal.workcalendar.calendar import get_work_calendar
from complaints.models import ComplaintLimit

DEFAULT_ACCEPT_DAYS = 1
DEFAULT_REPLY_DAYS = 15
ESCALATION_WORKING_DAYS = 5
RATING_WINDOW_DAYS = 7
DEFAULT_FOLLOW_UP_WORKING_DAYS = 5


@dataclass(frozen=True)
class CategoryLimits:
    accept_days: int
    reply_days: int


@dataclass(frozen=True)
class Clock:
    due_at: datetime
    remind_at: datetime
    escalate_at: datetime


def limits_for(category: str) -> CategoryLimits:
    """The category's limits: its row in the admin, else the defaults (1 and 15)."""
    row = ComplaintLimit.objects.filter(category=category).first()
    if row is None:
        return CategoryLimits(DEFAULT_ACCEPT_DAYS, DEFAULT_REPLY_DAYS)
    return CategoryLimits(row.accept_days, row.reply_days)


def _start_of(day: date) -> datetime:
    """The instant just before 00:00 local of ``day``: it has come when now > it."""
    return end_of_day(day - timedelta(days=1), timezone.get_default_timezone())


def clock(start: date, working_days: int) -> Clock:
    """A limit of ``working_days`` from an event on ``start``, with its reminder instants."""
    calendar = get_work_calendar()
    deadline = calendar.due_at(start, working_days)
    reminder_day = calendar.add_working_days(deadline.due_date, 1)
    escalation_day = calendar.add_working_days(reminder_day, ESCALATION_WORKING_DAYS)
    return Clock(due_at=deadline.due_at, remind_at=_start_of(reminder_day), escalate_at=_start_of(escalation_day))


def rating_closes_at(decided_at: datetime) -> datetime:
    """The last instant the applicant may rate: 24:00 of the 7th day after the decision date."""
    tz = timezone.get_default_timezone()
    return end_of_day(timezone.localdate(decided_at, tz) + timedelta(days=RATING_WINDOW_DAYS), tz)


def rating_cutoff(now: datetime) -> datetime:
    """Applications decided before this instant are past their rating window at ``now``."""
    return _start_of(timezone.localdate(now) - timedelta(days=RATING_WINDOW_DAYS)) + timedelta(microseconds=1)


def follow_up_working_days() -> int:
    return getattr(settings, "EVALUATION_FOLLOW_UP_WORKING_DAYS", DEFAULT_FOLLOW_UP_WORKING_DAYS)
