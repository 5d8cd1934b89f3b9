"""A small month of MARKET work with outcomes known by hand (November 2026, Shanghai).

Working days of November 2026: Mon 2 … Fri 6, Mon 9 … Fri 13, Mon 16 … Fri 20, …

| stage | started    | decided          | due (end of) | status   | official        | working days used |
|-------|------------|------------------|--------------|----------|-----------------|-------------------|
| S1    | 11-02      | 11-05 10:00      | 11-16        | approved | reviewer_market | 3                 |
| S2    | 11-02      | 11-18 10:00      | 11-16        | approved | reviewer_market | 12 − 2 suspended  |
| S3    | 11-09      | 11-09 09:30      | 11-10        | approved | window, on site | 0                 |
| S4    | 11-02      | 11-17 00:00:05   | 11-16        | deemed   | nobody          | 11                |
| S5    | 11-10      | 11-12 15:00      | 11-24        | denied   | reviewer_market | 2                 |
| S6    | 11-02      | open (claimed)   | 11-16        | claimed  | reviewer_market | overdue now       |
| S7    | 11-16      | open (pending)   | 11-30        | pending  | nobody          | not overdue       |
| S8    | 10-08      | 10-20 (outside)  | 10-22        | approved | reviewer_market | —                 |
| S9    | 11-03      | cancelled        | 11-17        | cancelled| nobody          | —                 |
| H1    | 11-03      | 11-04 (HOUSING)  | 11-12        | approved | reviewer_housing| 1                 |

MARKET in 11-01…11-20: decided 5, on time 3 (60%), on site 1 (20%), deemed 1, open
overdue 1, working days 3+10+0+11+2 = 26 (5.2 on average) against 10+10+1+10+10 = 41
(8.2); alerts yellow 2, red 1 (one more yellow in October); ratings 5, 3, 2 and a struck
1: satisfaction 2/3; one substantiated complaint in the period (one unsubstantiated,
one substantiated in October).
"""

from datetime import datetime

import pytest
from django.contrib.auth.models import User

from approvals.models import AlertRecord, Application, Stage
from portal.catalogue.models import ServiceItem
from portal.organisation.models import Department
from tests.conftest import SHANGHAI

PERIOD = {"from": "2026-11-01", "to": "2026-11-20"}


def at(month, day, hour=10, minute=0, second=0):
    return datetime(2026, month, day, hour, minute, second, tzinfo=SHANGHAI)


def end_of(month, day):
    return datetime(2026, month, day, 23, 59, 59, 999999, tzinfo=SHANGHAI)


class Builder:
    def __init__(self, world):
        self.world = world
        self.departments = {d.code: d for d in Department.objects.all()}
        self.items = {i.code: i for i in ServiceItem.objects.all()}
        self.count = 0

    def application(self, service="MKT-002", *, accepted, onsite=False, suspended_days=0, status="in_review"):
        self.count += 1
        return Application.objects.create(
            number=f"LS-T{self.count:04d}", service=self.items[service], status=status,
            applicant_name="测试", applicant_id_number="11010519491231002X", applicant_phone="13800138000",
            created_by=self.world.window, created_at=accepted, accepted_at=accepted, onsite=onsite,
            suspended_days_total=suspended_days)

    def stage(self, *, department="MARKET", started, due, status, decided=None, assignee=None, days=10,
              application=None, onsite=False, suspended_days=0):
        application = application or self.application(
            "HSG-001" if department == "HOUSING" else "MKT-002", accepted=started, onsite=onsite,
            suspended_days=suspended_days)
        return Stage.objects.create(
            application=application, department=self.departments[department], status=status, days=days,
            started_at=started, due_at=due, decided_at=decided, assignee=assignee)

    def alert(self, stage, level, raised):
        return AlertRecord.objects.create(level=level, application=stage.application, stage=stage,
                                          department=stage.department, assignee=stage.assignee, raised_at=raised,
                                          due_at=stage.due_at)


@pytest.fixture
def town(world):
    """The demo township's supervisor (三级政务服务: he reaches only TOWN and its village point)."""
    return User.objects.get(username="supervisor_town")


@pytest.fixture
def town_clerk(world):
    """The demo township's window clerk."""
    return User.objects.get(username="window_town")


@pytest.fixture
def build(world):
    return Builder(world)


@pytest.fixture
def november(world, build):
    """The month of the table above; returns the stages by name."""
    reviewer, window = world.reviewer_market, world.window
    s = {
        "S1": build.stage(started=at(11, 2, 9), due=end_of(11, 16), status="approved", decided=at(11, 5),
                          assignee=reviewer),
        "S2": build.stage(started=at(11, 2, 9), due=end_of(11, 16), status="approved", decided=at(11, 18),
                          assignee=reviewer, suspended_days=2),
        "S3": build.stage(started=at(11, 9, 9), due=end_of(11, 10), status="approved", decided=at(11, 9, 9, 30),
                          assignee=window, days=1, onsite=True),
        "S4": build.stage(started=at(11, 2, 9), due=end_of(11, 16), status="deemed_approved",
                          decided=at(11, 17, 0, 0, 5)),
        "S5": build.stage(started=at(11, 10, 9), due=end_of(11, 24), status="denied", decided=at(11, 12, 15),
                          assignee=reviewer),
        "S6": build.stage(started=at(11, 2, 9), due=end_of(11, 16), status="claimed", assignee=reviewer),
        "S7": build.stage(started=at(11, 16, 9), due=end_of(11, 30), status="pending"),
        "S8": build.stage(started=at(10, 8, 9), due=end_of(10, 22), status="approved", decided=at(10, 20),
                          assignee=reviewer),
        "S9": build.stage(started=at(11, 3, 9), due=end_of(11, 17), status="cancelled"),
        "H1": build.stage(department="HOUSING", started=at(11, 3, 9), due=end_of(11, 12), status="approved",
                          decided=at(11, 4), assignee=world.reviewer_housing, days=7),
    }
    build.alert(s["S6"], "yellow", at(11, 12, 0, 0, 1))
    build.alert(s["S2"], "yellow", at(11, 13, 0, 0, 1))
    build.alert(s["S6"], "red", at(11, 17, 0, 0, 1))
    build.alert(s["S8"], "yellow", at(10, 21, 0, 0, 1))
    _ratings(build, s)
    _complaints(world)
    return s


def _ratings(build, stages):
    from complaints.models import Evaluation

    for score, day, struck in ((5, 10, False), (3, 11, False), (2, 12, False), (1, 13, True)):
        application = build.application(accepted=at(11, 2))
        Evaluation.objects.create(application=application, service=application.service,
                                  department=build.departments["MARKET"], score=score, source="citizen",
                                  rated_at=at(11, day), struck=struck)


def _complaints(world):
    from complaints.models import Complaint

    market = Department.objects.get(code="MARKET")
    for number, finding, concluded in (("TS1", "substantiated", at(11, 15)), ("TS2", "unsubstantiated", at(11, 15)),
                                       ("TS3", "substantiated", at(10, 15))):
        Complaint.objects.create(number=number, category="delay", description="拖延", staff=world.reviewer_market,
                                 department=market, filed_at=concluded, accept_due_at=concluded, finding=finding,
                                 concluded_at=concluded)
