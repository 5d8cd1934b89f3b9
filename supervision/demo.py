"""Demo additions of supervision and accountability (SPEC §7, additions only): the center's
targets and the three responsible persons of every serving department (直接责任人, 分管负责人,
主要负责人), the head of the discipline office and an unannounced inspection visit."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone

from accountability.models import ResponsiblePersons
from approvals.demo import _user
from portal.organisation import roles
from portal.organisation.models import Department, ServiceCenter, StaffProfile, Window
from supervision.models import FindingOutcome, InspectionFinding, InspectionVisit, ServiceTargets, VisitKind


def demo_targets_seed() -> int:
    """The seeds' targets for every center (现场办结率 ≥ 90 %, 按时办结率 100 %, 满意率 ≥ 95 %); idempotent."""
    for center in ServiceCenter.objects.all():
        ServiceTargets.objects.get_or_create(center=center)
    return ServiceTargets.objects.count()


# department: (leader in charge, principal) as (username, full name, badge)
LEADERS = {
    "MARKET": (("leader_market", "钱分管", "M0298"), ("principal_market", "李局长", "M0299")),
    "HOUSING": (("leader_housing", "何分管", "H0398"), ("principal_housing", "吕局长", "H0399")),
    "ENV": (("leader_env", "施分管", "E0498"), ("principal_env", "张局长", "E0499")),
    "FIRE": (("leader_fire", "孔分管", "F0598"), ("principal_fire", "曹支队长", "F0599")),
}


def demo_responsible_persons_seed() -> int:
    """Create or update the leaders and name the three responsible persons; idempotent."""
    group, _ = Group.objects.get_or_create(name=roles.DEPARTMENT_HEAD)
    for code, people in LEADERS.items():
        department = Department.objects.filter(code=code).first()
        if department is None:
            continue
        users = []
        for username, full_name, badge in people:
            user = _user(username, full_name)
            user.groups.add(group)
            StaffProfile.objects.update_or_create(user=user, defaults={"badge": badge, "department": department})
            users.append(user)
        ResponsiblePersons.objects.update_or_create(
            department=department,
            defaults={"direct": department.head, "leader_in_charge": users[0], "principal": users[1]})
    return len(LEADERS)


def demo_discipline_head_seed() -> int:
    """The discipline officer ``discipline`` heads the discipline office (纪检监察组组长): cases
    undecided past their limit are escalated to him (责任追究落实不到位); idempotent."""
    user = User.objects.filter(username="discipline").first()
    return Department.objects.filter(code=settings.DISCIPLINE_DEPARTMENT_CODE).update(head=user) if user else 0


def demo_inspection_seed() -> int:
    """明查暗访: one unannounced visit of window 01 last week, nothing found; idempotent."""
    supervisor = User.objects.filter(username="supervisor").first()
    window = Window.objects.filter(number="01").select_related("center", "department").first()
    if supervisor is None or window is None:
        return 0
    when = timezone.now() - timedelta(days=7)
    visit, created = InspectionVisit.objects.get_or_create(
        number="AF-DEMO-0001", defaults={"kind": VisitKind.UNANNOUNCED, "center": window.center, "visited_at": when,
                                         "inspector": supervisor, "recorded_at": when,
                                         "note": "上午十时暗访综合受理窗口。"})
    if created:
        InspectionFinding.objects.create(visit=visit, window=window, department=window.department,
                                         outcome=FindingOutcome.COMPLIANT, description="挂牌上岗，一次性告知到位。")
    return InspectionVisit.objects.count()


def demo_additions_seed() -> dict:
    """What seed_demo adds beyond SPEC §7 (settings.DEMO_SEED_ADDITIONS)."""
    return {"targets": demo_targets_seed(), "responsible_persons": demo_responsible_persons_seed(),
            "discipline_head": demo_discipline_head_seed(), "inspections": demo_inspection_seed()}
