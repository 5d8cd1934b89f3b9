"""A believable last month for the demo (``seed_demo --history``, what ``make run`` seeds), so
that 电子监察 reads like a hall at work on a first look: applications taken in over the last four
weeks and decided — most on time, some on site (当场办结), a few refused, one lapsed into deemed
approval (超期默许, with its accountability case) and, for an item that excludes deemed approval,
one decided a day late after a red alert — a few still in review within their limit, ratings
(好差评) with one bad one and its follow-up, and one complaint found substantiated (its case and
the principal's rectification report follow, as the services make them).

The demo world's users and items (SPEC §7) are left as they are. Running it again adds nothing
(the history's applicant name marks it). History is written as history: rows with their
timestamps, no notices for applications decided weeks ago; the complaint of today goes through
the complaint services like any other.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accountability.models import CaseSource, SubjectRole
from accountability.services import case_open
from approvals.models import AlertRecord, Application, Channel, Stage, StageStatus, Status
from complaints import services as complaint_services
from complaints.evaluations import evaluation_for, follow_up_open
from complaints.models import Category, Finding, RatingSource
from portal.catalogue.models import ServiceItem
from portal.organisation import roles
from portal.organisation.models import StaffProfile
from portal.validation import id_check_digit
from portal.workcalendar.calendar import get_work_calendar

HISTORY_APPLICANT = "示例历史申请人"
# What happened to each application of the month, in the order they are made.
PLAN = (["onsite"] * 8 + ["on_time"] * 16 + ["denied"] * 3 + ["late"] + ["deemed"] + ["open"] * 4)
# Ratings of the decided applications that were rated (about two in three): mostly satisfied.
SCORES = [5] * 12 + [4] * 6 + [3] * 2


@dataclass
class _Day:
    accepted: datetime
    due: datetime


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _reviewers() -> dict[int, User]:
    """Per department the official who decides its stages: a reviewer, else its head."""
    found: dict[int, User] = {}
    for profile in StaffProfile.objects.select_related("user", "department__head").order_by("badge"):
        if roles.has_role(profile.user, roles.REVIEWER):
            found.setdefault(profile.department_id, profile.user)
    return found


def demo_history_seed(*, now: datetime | None = None, seed: int = 2026) -> dict:
    """The last month of work of the demo hall (see the module docstring); counts of what was made."""
    if Application.objects.filter(applicant_name=HISTORY_APPLICANT).exists():
        return {"history": 0}
    now = now or timezone.now()
    rng = random.Random(seed)
    calendar = get_work_calendar()
    today = timezone.localdate(now)
    items = list(ServiceItem.objects.filter(published=True).order_by("code").prefetch_related("stages__department"))
    longer = [i for i in items if i.committed_days >= 3] or items
    # A lapse or a late decision of one department, not of a joint item's every stage.
    single = [i for i in longer if len(i.stages.all()) <= 1] or longer
    kinds = {"onsite": [i for i in items if i.committed_days <= 1] or items,
             "late": [i for i in single if not i.deemed_approval] or single,
             "deemed": [i for i in single if i.deemed_approval] or single, "open": longer}
    reviewers = _reviewers()
    clerk = User.objects.get(username="window")
    citizens = list(User.objects.filter(username__in=["citizen", "citizen2"]).order_by("username"))
    made = {"applications": 0, "ratings": 0, "alerts": 0, "cases": 0}
    with transaction.atomic():
        rated = []
        for index, outcome in enumerate(PLAN):
            choices = kinds.get(outcome, items)
            item = choices[index % len(choices)]
            # Decided ones were taken in over the last four weeks, far enough back for their
            # outcome; open ones in the last two working days, so that none is overdue now.
            back = {"open": rng.randint(0, 1), "late": item.committed_days + rng.randint(2, 4),
                    "deemed": item.committed_days + rng.randint(2, 4)}.get(outcome, rng.randint(2, 19))
            start = _working_days_back(calendar, today, back)
            accepted = min(_at(start, rng.randint(9, 11), rng.choice((0, 15, 30, 45))), now - timedelta(hours=1))
            application = _application(item, outcome, accepted, index, clerk=clerk, citizen=citizens[index % 2],
                                       rng=rng, calendar=calendar, now=now)
            made["applications"] += 1
            made["alerts"] += _stages(application, item, outcome, reviewers=reviewers, calendar=calendar, rng=rng,
                                      now=now)
            if outcome == "deemed":
                made["cases"] += _deemed_case(application)
            if application.decided_at is not None and rng.random() < 0.7:
                rated.append(application)
        for application, score in zip(rated, _scores(rng, len(rated))):
            rated_at = min(application.decided_at + timedelta(hours=rng.randint(1, 30)), now)
            evaluation = evaluation_for(application, score=score, source=RatingSource.CITIZEN, now=rated_at,
                                        actor=application.applicant)
            evaluation.save()
            if evaluation.bad:
                follow_up_open(evaluation=evaluation, now=rated_at)
            made["ratings"] += 1
    made["complaints"] = _substantiated_complaint()
    return {"history": made}


def _working_days_back(calendar, today, n: int):
    """The working day ``n`` working days before ``today`` (today itself, or the last working
    day before it, for 0)."""
    day = today
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    while n > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def _scores(rng: random.Random, n: int) -> list[int]:
    """``n`` ratings, mostly satisfied, and one bad one among the last (its follow-up is still due)."""
    scores = [rng.choice(SCORES) for _ in range(n)]
    if n >= 3:
        scores[-2] = 2
    return scores


def _application(item, outcome: str, accepted: datetime, index: int, *, clerk, citizen, rng, calendar,
                 now) -> Application:
    start = timezone.localdate(accepted)
    deadline = calendar.due_at(start, item.committed_days).due_at
    # Decided in time: within the shortest stage limit of the item (every stage on time).
    shortest = min([s.days for s in item.stages.all()] or [item.committed_days])
    earliest = accepted + timedelta(minutes=30)
    latest = min(calendar.due_at(start, shortest).due_at, now - timedelta(minutes=30))
    decided = {
        "onsite": accepted + timedelta(minutes=rng.randint(20, 50)),
        "on_time": max(earliest, min(_at(calendar.add_working_days(
            start, rng.randint(0, max(0, shortest - 1))), rng.randint(9, 16)), latest)),
        "denied": max(earliest, min(_at(calendar.add_working_days(
            start, rng.randint(0, max(0, shortest - 1))), rng.randint(9, 16)), latest)),
        "late": _at(calendar.add_working_days(timezone.localdate(deadline), 1), 10),
        "deemed": deadline + timedelta(seconds=5),
    }.get(outcome)
    status = {"onsite": Status.APPROVED, "on_time": Status.APPROVED, "denied": Status.DENIED,
              "late": Status.APPROVED, "deemed": Status.DEEMED_APPROVED}.get(outcome, Status.IN_REVIEW)
    application = Application.objects.create(
        number=f"tmp-history-{index}", service=item, status=status,
        channel=Channel.WINDOW if outcome == "onsite" or index % 3 else Channel.ONLINE,
        applicant=citizen, applicant_name=HISTORY_APPLICANT, applicant_id_number=_id_number(rng),
        applicant_phone=f"139{rng.randint(0, 99999999):08d}", created_by=clerk, created_at=accepted,
        submitted_at=accepted, accepted_at=accepted, intake_clerk=clerk, due_at=deadline,
        warn_at=calendar.warn_at(start, item.committed_days), clock_start=start, clock_days=item.committed_days,
        onsite=outcome == "onsite", outcome=status if decided else "", decided_at=decided,
    )
    application.number = f"LS{start:%Y%m%d}{application.pk:08d}"
    application.save(update_fields=["number"])
    return application


def _stages(application: Application, item, outcome: str, *, reviewers, calendar, rng, now) -> int:
    """The application's stages (one per department of the item), decided as ``outcome`` says;
    the alerts a late or lapsed stage raised on its way. Returns how many alerts."""
    start = application.clock_start
    plan = [(s.department, min(s.days, item.committed_days)) for s in item.stages.all()] or \
        [(item.department, item.committed_days)]
    alerts = 0
    for department, days in plan:
        due = calendar.due_at(start, days).due_at
        warn = calendar.warn_at(start, days)
        assignee = None if outcome == "deemed" else reviewers.get(department.pk, department.head)
        decided = application.decided_at
        status = {"denied": StageStatus.DENIED, "deemed": StageStatus.DEEMED_APPROVED, "open": StageStatus.CLAIMED
                  }.get(outcome, StageStatus.APPROVED)
        if outcome == "open" and rng.random() < 0.5:
            status, assignee = StageStatus.PENDING, None
        if outcome in ("late", "deemed"):
            decided = max(decided, due + timedelta(seconds=5))
        stage = Stage.objects.create(
            application=application, department=department, status=status, days=days, started_at=application.accepted_at,
            due_at=due, warn_at=warn, clock_start=start, clock_days=days, deemed_approval=item.deemed_approval,
            assignee=assignee, claimed_at=application.accepted_at if assignee else None,
            decided_at=decided if outcome != "open" else None, decided_by=assignee if outcome != "open" else None,
            alert={"late": "red", "deemed": "yellow"}.get(outcome, "none"))
        if outcome in ("late", "deemed"):
            raised = [("yellow", warn + timedelta(seconds=1))] + ([("red", due + timedelta(seconds=1))]
                                                                  if outcome == "late" else [])
            AlertRecord.objects.bulk_create(
                AlertRecord(level=level, application=application, stage=stage, department=department,
                            assignee=assignee, raised_at=min(at, now), due_at=due) for level, at in raised)
            alerts += len(raised)
    return alerts


def _deemed_case(application: Application) -> int:
    """超期默许 is answered for: the case the sweep opens against the department's head when
    nobody had claimed the stage, opened when it lapsed."""
    stage = application.stages.select_related("department__head").first()
    if stage.department.head is None:
        return 0
    case_open(subject=stage.department.head, subject_role=SubjectRole.DIRECT, source=CaseSource.DEEMED_APPROVAL,
              source_ref=application.number, department=stage.department, now=stage.decided_at,
              summary=f"{application.number}：{application.service.name}超过承诺时限未作决定，已默许通过。")
    return 1


def _substantiated_complaint() -> int:
    """One complaint about a reviewer's delay, filed, investigated and answered through the
    complaint services (today): found substantiated, it opens its case and asks the
    department's principal for a rectification report."""
    office = User.objects.get(username="discipline")
    official = StaffProfile.objects.filter(user__username="reviewer_market").first()
    if official is None:
        return 0
    complaint = complaint_services.complaint_file(actor=None, data=complaint_services.ComplaintData(
        category=Category.DELAY, description="办理营业执照变更，材料齐全却被要求反复补充，拖了一周才审完。",
        staff_badge=official.badge, anonymous=True, contact="13700000001"))
    complaint_services.complaint_accept(actor=office, complaint_id=complaint.pk)
    complaint_services.complaint_assign(actor=office, complaint_id=complaint.pk, investigator="discipline")
    complaint_services.complaint_conclude(actor=office, complaint_id=complaint.pk, finding=Finding.SUBSTANTIATED,
                                          summary="经调阅办件记录核实，确有重复要求补正的情况，投诉属实。")
    complaint_services.complaint_reply(actor=office, complaint_id=complaint.pk,
                                       text="经核实投诉属实，已责令整改并对相关工作人员立案问责，感谢您的监督。")
    return 1


def _id_number(rng: random.Random) -> str:
    """A made-up but well-formed 18-digit ID number (GB 11643 check digit)."""
    body = f"110105{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + id_check_digit(body)
