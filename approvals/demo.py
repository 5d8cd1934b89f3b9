"""Content of the demo world (SPEC §7) and the generator of historical applications."""

import functools
import random
import sys
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from approvals.commitments_demo import commitments_seed
from approvals.models import DECIDED_OUTCOMES, Application, Channel, ConcernedDepartment, Stage, StageStatus, Status
from centers.models import CenterLevel, CenterTier, ItemPublication
from projects.models import KeyProject
from portal.validation import id_check_digit
from portal.bulk import insert_instances, insert_rows, reserve_ids
from portal.catalogue.models import (
    HandlingType, IntermediaryKind, IntermediaryService, MaterialRequirement, ServiceItem, StageRequirement,
)
from portal.organisation import roles
from portal.organisation.models import Department, ServiceCenter, StaffProfile, Window
from django.utils.timezone import localdate as local_date
from portal.workcalendar.calendar import get_work_calendar

DEMO_PASSWORD = "demo-pass-2026"

DEPARTMENTS = [
    ("MARKET", "市场监督管理局", "Market Regulation Bureau"),
    ("HOUSING", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("ENV", "生态环境局", "Ecology and Environment Bureau"),
    ("FIRE", "消防救援支队", "Fire and Rescue Detachment"),
    ("CENTER", "政务服务中心管理办公室", "Service Center Office"),
    ("DISCIPLINE", "纪检监察组", "Discipline Inspection Office"),
]

# username, full name, department, role, badge, window number
STAFF = [
    ("window", "王晓窗", "CENTER", roles.WINDOW_CLERK, "C0101", "01"),
    ("window_b", "李备岗", "CENTER", roles.WINDOW_CLERK, "C0102", "01"),
    ("reviewer_market", "张市审", "MARKET", roles.REVIEWER, "M0201", None),
    ("reviewer_housing", "刘建审", "HOUSING", roles.REVIEWER, "H0301", None),
    ("reviewer_env", "陈环审", "ENV", roles.REVIEWER, "E0401", None),
    ("reviewer_fire", "赵消审", "FIRE", roles.REVIEWER, "F0501", None),
    ("head_market", "孙市长", "MARKET", roles.DEPARTMENT_HEAD, "M0200", None),
    ("head_housing", "周建长", "HOUSING", roles.DEPARTMENT_HEAD, "H0300", None),
    ("head_env", "吴环长", "ENV", roles.DEPARTMENT_HEAD, "E0400", None),
    ("head_fire", "郑消长", "FIRE", roles.DEPARTMENT_HEAD, "F0500", None),
    ("supervisor", "冯监察", "CENTER", roles.SUPERVISOR, "C0900", None),
    ("discipline", "褚纪检", "DISCIPLINE", roles.DISCIPLINE, "D0900", None),
]

CITIZENS = [("citizen", "陈民", "citizen@example.invalid"), ("citizen2", "林二民", "citizen2@example.invalid")]

LAW = "《中华人民共和国行政许可法》"
ITEMS = [
    {
        "code": "MKT-001", "permit_name": "个体工商户营业执照", "name": "个体工商户注册登记", "name_en": "Individual business registration",
        "department": "MARKET", "handling_type": HandlingType.IMMEDIATE, "committed_days": 1,
        "statutory_days": 15, "deemed_approval": True,
        "legal_basis": "《促进个体工商户发展条例》；《市场主体登记管理条例》第十九条",
        "fee_basis": "不收费（《市场主体登记管理条例》）",
        "materials": [("FORM", "个体工商户登记申请书", "Registration application form"),
                      ("ID", "经营者身份证明", "Operator's identity document"),
                      ("PREMISES", "经营场所使用证明", "Proof of use of the business premises")],
        "stages": [],
    },
    {
        "code": "MKT-002", "permit_name": "食品经营许可证", "name": "食品经营许可", "name_en": "Food business licence",
        "department": "MARKET", "handling_type": HandlingType.PROMISED, "committed_days": 10,
        "statutory_days": 20, "deemed_approval": True,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        "fee_basis": "不收费（《食品经营许可和备案管理办法》）",
        "materials": [("FORM", "食品经营许可申请书", "Food business licence application"),
                      ("LICENCE", "营业执照复印件", "Copy of the business licence"),
                      ("LAYOUT", "经营场所平面布局图", "Floor plan of the premises"),
                      ("SAFETY", "食品安全管理制度文本", "Food safety management rules")],
        "stages": [],
    },
    {
        "code": "HSG-001", "permit_name": "建筑工程施工许可证", "name": "建筑工程施工许可", "name_en": "Construction permit",
        "department": "HOUSING", "handling_type": HandlingType.JOINT, "committed_days": 10,
        "statutory_days": 45, "deemed_approval": True,
        "legal_basis": "《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》",
        "fee_basis": "不收费（《建筑工程施工许可管理办法》）",
        "materials": [("FORM", "建筑工程施工许可申请表", "Construction permit application form"),
                      ("LAND", "建设用地规划许可证", "Land-use planning permit"),
                      ("DRAWINGS", "施工图设计文件审查合格书", "Approved construction drawings"),
                      ("EIA", "环境影响评价文件", "Environmental impact assessment"),
                      ("FIRE", "消防设计文件", "Fire protection design")],
        "stages": [("HOUSING", 7, True), ("ENV", 7, False), ("FIRE", 7, False)],
    },
    {
        "code": "FIRE-002", "permit_name": "公众聚集场所投入使用、营业前消防安全检查合格证", "name": "公众聚集场所投入使用、营业前消防安全检查",
        "name_en": "Pre-opening fire safety inspection", "department": "FIRE",
        "handling_type": HandlingType.PROMISED, "committed_days": 10, "statutory_days": 10,
        "deemed_approval": False,
        "legal_basis": "《中华人民共和国消防法》第十五条",
        "fee_basis": "不收费（《中华人民共和国消防法》）",
        "materials": [("FORM", "消防安全检查申请表", "Fire safety inspection application"),
                      ("LICENCE", "营业执照复印件", "Copy of the business licence"),
                      ("PLAN", "消防安全制度和应急预案", "Fire safety rules and emergency plan")],
        "stages": [],
    },
    {
        # 首席代表制 stops at the door of a site inspection (现场踏勘): issue 13, item 1.
        "code": "MKT-003", "permit_name": "食品生产许可证", "name": "食品生产许可", "name_en": "Food production licence",
        "department": "MARKET", "handling_type": HandlingType.PROMISED, "committed_days": 10,
        "statutory_days": 20, "deemed_approval": True, "requires_site_inspection": True,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》第二十条（现场核查）",
        "fee_basis": "不收费（《食品生产许可管理办法》）",
        "materials": [("FORM", "食品生产许可申请书", "Food production licence application"),
                      ("LICENCE", "营业执照复印件", "Copy of the business licence"),
                      ("LAYOUT", "生产场所平面图和设备布局图", "Plan of the production site and its equipment"),
                      ("PROCESS", "食品生产工艺流程图", "Food production process flow chart")],
        "stages": [],
    },
    {
        # 一个窗口收费: a fee-bearing item, refunded if registration is refused (issue 13, item 4).
        "code": "HSG-002", "permit_name": "不动产权证书", "name": "不动产登记（住宅）", "name_en": "Real estate registration (housing)",
        "department": "HOUSING", "handling_type": HandlingType.PROMISED, "committed_days": 5,
        "statutory_days": 30, "deemed_approval": True,
        "legal_basis": "《不动产登记暂行条例》第二十条",
        "fee_amount": Decimal("80.00"), "fee_refund_on_denial": True,
        "fee_basis": "住宅类不动产登记费每件80元（《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》"
                     "发改价格规〔2016〕2559号）；不予登记的不收取登记费",
        "materials": [("FORM", "不动产登记申请书", "Real estate registration application"),
                      ("ID", "申请人身份证明", "Applicant's identity document"),
                      ("TITLE", "不动产权属来源证明", "Proof of the source of title")],
        "stages": [],
    },
]


def _user(username: str, full_name: str, email: str = "", *, superuser: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username)
    user.first_name = full_name
    user.email = email or f"{username}@service-center.invalid"
    user.is_superuser = superuser
    user.is_staff = superuser
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def demo_world_seed() -> dict:
    """Create or update everything of SPEC §7; running it twice changes nothing."""
    center, _ = ServiceCenter.objects.update_or_create(
        code="CITY", defaults={"name": "示例市政务服务中心", "name_en": "Example City Government Service Center",
                               "address": "示例市人民路1号", "phone": "12345"},
    )
    departments = {}
    for code, name, name_en in DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "center": center},
        )
    window, _ = Window.objects.update_or_create(
        center=center, number="01", defaults={"name": "综合受理窗口", "department": departments["CENTER"]},
    )
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    profiles = {}
    for username, full_name, dept, role, badge, window_number in STAFF:
        user = _user(username, full_name)
        user.groups.set([Group.objects.get(name=role)])
        profiles[username], _ = StaffProfile.objects.update_or_create(
            user=user,
            defaults={"badge": badge, "department": departments[dept],
                      "window": window if window_number else None, "on_duty": True},
        )
        if role == roles.DEPARTMENT_HEAD:
            departments[dept].head = user
            departments[dept].save(update_fields=["head"])
    profiles["window"].backup = profiles["window_b"]
    profiles["window"].save(update_fields=["backup"])
    profiles["window"].chief_representative_for.set([departments["MARKET"]])
    for username, full_name, email in CITIZENS:
        _user(username, full_name, email).groups.clear()
    _user("admin", "系统管理员", superuser=True)

    for spec in ITEMS:
        item, _ = ServiceItem.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"], "name_en": spec["name_en"], "department": departments[spec["department"]],
                "handling_type": spec["handling_type"], "committed_days": spec["committed_days"],
                "statutory_days": spec["statutory_days"], "deemed_approval": spec["deemed_approval"],
                "requires_site_inspection": spec.get("requires_site_inspection", False),
                "legal_basis": spec["legal_basis"], "fee_amount": spec.get("fee_amount", Decimal("0")), "fee_basis": spec["fee_basis"],
                "fee_refund_on_denial": spec.get("fee_refund_on_denial", False),
                "conditions": "申请人具备相应法定条件。",
                "procedure": "申请 → 受理 → 审查 → 决定 → 送达（一窗受理，一次性告知，限时办结）",
                "window_authority": f"{window.number}号{window.name}：统一收件、受理、出件（{LAW}第二十六条）",
                "permit_name": spec["permit_name"],
                "office_address": f"{center.address} 政务服务中心一楼 {window.number}号{window.name}",
                "office_hours": "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外，调休上班日照常办理）",
                "enquiry_phone": "0000-12345", "complaint_phone": "0000-12345 转 9（效能投诉）",
                "published": False,
            },
        )
        for order, (code, name, name_en) in enumerate(spec["materials"]):
            MaterialRequirement.objects.update_or_create(
                item=item, code=code, defaults={"name": name, "name_en": name_en, "required": True, "order": order},
            )
        item.materials.exclude(code__in=[m[0] for m in spec["materials"]]).delete()
        for order, (dept, days, lead) in enumerate(spec["stages"]):
            StageRequirement.objects.update_or_create(
                item=item, department=departments[dept], defaults={"days": days, "lead": lead, "order": order},
            )
        item.published = not item.disclosure_problems()
        item.save(update_fields=["published"])
    network_seed(center)
    commitments_seed()
    key_project_seed(center)
    intermediary_seed()
    return {
        "departments": len(departments), "staff": len(STAFF), "citizens": len(CITIZENS),
        "items": ServiceItem.objects.filter(published=True).count(),
    }


# 三级政务服务 (issue 13 items 2 and 7): a township center and a village proxy point below the
# city's center; the township takes in MKT-001 and MKT-002 and forwards MKT-002 up (上报件).
TOWN_CLERK = ("window_town", "马镇窗", "T0101")
PROXY_OFFICER = ("proxy_village", "田代办", "V0101")  # 代办员: a village cadre
# 电子监察 of the township: a supervisor who oversees the township center and its proxy point.
TOWN_SUPERVISOR = ("supervisor_town", "郑镇监察", "T0900")
# The township center and its office (a department of the same name) are called alike in English.
TOWN_CENTER_EN = "Example Town Convenience Service Center"


def network_seed(county: ServiceCenter) -> None:
    """The demo's township center (便民服务中心), its proxy point (代办点), the items they take in,
    the township's clerk and its supervisor; idempotent. Additions only: SPEC §7's world is unchanged."""
    CenterTier.objects.update_or_create(center=county, defaults={"level": CenterLevel.COUNTY})
    town, _ = ServiceCenter.objects.update_or_create(
        code="TOWN", defaults={"name": "示例镇便民服务中心", "name_en": TOWN_CENTER_EN, "parent": county,
                               "address": "示例镇中心街8号", "phone": "0000-88001"})
    village, _ = ServiceCenter.objects.update_or_create(
        code="VIL", defaults={"name": "示例村便民服务代办点", "name_en": "Example Village Service Proxy Point",
                              "parent": town, "address": "示例村村民委员会", "phone": "0000-88002"})
    CenterTier.objects.update_or_create(center=town, defaults={"level": CenterLevel.TOWNSHIP})
    CenterTier.objects.update_or_create(center=village, defaults={"level": CenterLevel.VILLAGE})
    office, _ = Department.objects.update_or_create(
        code="TOWN", defaults={"name": "示例镇便民服务中心", "name_en": TOWN_CENTER_EN,
                               "center": town})
    window, _ = Window.objects.update_or_create(center=town, number="01",
                                                defaults={"name": "便民服务窗口", "department": office})
    for code, referred_to in (("MKT-001", None), ("MKT-002", county)):
        ItemPublication.objects.update_or_create(center=town, item=ServiceItem.objects.get(code=code),
                                                 defaults={"referred_to": referred_to})
    # 代办: the village point takes in the same items for citizens; its officer hands out the result.
    point, _ = Window.objects.update_or_create(center=village, number="01",
                                               defaults={"name": "便民服务代办点", "department": office})
    for code in ("MKT-001", "MKT-002"):
        ItemPublication.objects.update_or_create(center=village, item=ServiceItem.objects.get(code=code),
                                                 defaults={"referred_to": None})
    for (username, full_name, badge), post in ((TOWN_CLERK, window), (PROXY_OFFICER, point)):
        user = _user(username, full_name)
        user.groups.set([Group.objects.get(name=roles.WINDOW_CLERK)])
        StaffProfile.objects.update_or_create(user=user, defaults={"badge": badge, "department": office,
                                                                   "window": post, "on_duty": True})
    username, full_name, badge = TOWN_SUPERVISOR
    user = _user(username, full_name)
    user.groups.set([Group.objects.get(name=roles.SUPERVISOR)])
    StaffProfile.objects.update_or_create(user=user, defaults={"badge": badge, "department": office,
                                                               "window": None, "on_duty": True})


# 项目经理制 / 绿色通道 (issue 13 item 5): one key project of the city, its manager and the
# enterprise's account that files its applications.
PROJECT_MANAGER = ("manager_project", "钱项目", "C0301")
# The township's own project manager: the one its supervisor may name (三级政务服务: within his reach).
TOWN_PROJECT_MANAGER = ("manager_town", "吴镇项目", "T0301")
ENTERPRISE = ("enterprise", "示例新材料有限公司", "enterprise@example.invalid")
KEY_PROJECT = {"code": "KP-2026-001", "name": "示例新材料产业园一期项目", "enterprise": "示例新材料有限公司",
               "stage_days": 5, "note": "市级重点项目：并联审批绿色通道，项目经理全程跟踪、督办。"}


def key_project_seed(center: ServiceCenter) -> None:
    """The demo's key project (重点项目) with its project manager (项目经理), the township's project
    manager and the enterprise's account; idempotent. Additions only: SPEC §7's world is unchanged."""
    group = Group.objects.get_or_create(name=roles.PROJECT_MANAGER)[0]
    for (username, full_name, badge), department in ((TOWN_PROJECT_MANAGER, "TOWN"), (PROJECT_MANAGER, "CENTER")):
        manager = _user(username, full_name)
        manager.groups.set([group])
        StaffProfile.objects.update_or_create(user=manager, defaults={
            "badge": badge, "department": Department.objects.get(code=department), "window": None, "on_duty": True})
    manager = User.objects.get(username=PROJECT_MANAGER[0])
    enterprise = _user(*ENTERPRISE)
    enterprise.groups.clear()
    KeyProject.objects.update_or_create(code=KEY_PROJECT["code"], defaults={
        "name": KEY_PROJECT["name"], "enterprise": KEY_PROJECT["enterprise"], "center": center, "manager": manager,
        "applicant": enterprise, "stage_days": KEY_PROJECT["stage_days"], "active": True,
        "note": KEY_PROJECT["note"]}, create_defaults={
        **{k: v for k, v in KEY_PROJECT.items() if k != "code"}, "center": center, "manager": manager,
        "applicant": enterprise, "active": True, "designated_at": timezone.now()})


# 中介服务 (issue 13 item 8): the food production licence (MKT-003) may need product testing by an
# intermediary organisation, on its own limit and fee.
INTERMEDIARY = {"code": "INT-001", "name": "食品检验检测", "name_en": "Food product testing",
                "kind": IntermediaryKind.TESTING, "provider": "示例市食品检验检测中心（中介机构）", "days": 5,
                "fee_amount": Decimal("300.00"),
                "fee_basis": "检验检测服务费（市场调节价，《检验检测机构资质认定管理办法》；收费标准在中心公示）"}


def intermediary_seed() -> None:
    """The demo's intermediary service (中介服务), published for MKT-003; idempotent."""
    service, _ = IntermediaryService.objects.update_or_create(
        code=INTERMEDIARY["code"], defaults={**{k: v for k, v in INTERMEDIARY.items() if k != "code"},
                                             "published": True})
    service.items.set([ServiceItem.objects.get(code="MKT-003")])


def _fake_id_number(rng: random.Random) -> str:
    first17 = "110101" + f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + \
        f"{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def demo_applications_generate(*, count: int, progress=sys.stderr, seed: int = 2026, chunk: int = 20000,
                               services: list[str] | None = None) -> int:
    """Bulk-generate ``count`` historical applications across states, for dashboards
    and benchmarks. Ids are reserved first so that numbers and stages are built before
    anything is written; each chunk is two COPYs. No audit events (they are history).
    ``services`` (codes) limits the draw, so that a seeded history stays the same when the
    catalogue grows."""
    rng = random.Random(seed)
    published = ServiceItem.objects.filter(published=True)
    if services is not None:
        published = published.filter(code__in=services)
    items = list(published.order_by("code").prefetch_related("stages__department"))
    # 主办/协办 as the catalogue says (a single-department item's one stage is its own lead).
    plans = {item.pk: [(s.department_id, s.days, s.lead) for s in item.stages.all()] or
             [(item.department_id, item.committed_days, True)] for item in items}
    clerk = User.objects.get(username="window")
    citizens = list(User.objects.filter(username__in=["citizen", "citizen2"]))
    calendar = get_work_calendar()
    due_at = functools.lru_cache(maxsize=None)(lambda day, days: calendar.due_at(day, days).due_at)
    now = timezone.now()
    statuses = [Status.IN_REVIEW] * 3 + [Status.APPROVED] * 10 + [Status.DENIED, Status.DEEMED_APPROVED,
                                                                    Status.ISSUED, Status.WITHDRAWN]
    made = 0
    while made < count:
        size = min(chunk, count - made)
        with transaction.atomic():
            applications, stages = [], []
            for pk in reserve_ids(Application, size):
                item = rng.choice(items)
                status = rng.choice(statuses)
                # Open ones were accepted in the last few days, so no deadline of theirs has passed.
                days_ago = rng.randint(0, 3) if status == Status.IN_REVIEW else rng.randint(20, 400)
                accepted = now - timedelta(days=days_ago, seconds=rng.randint(0, 3600))
                deadline = due_at(local_date(accepted), item.committed_days)
                if status == Status.IN_REVIEW and deadline <= now:  # a short limit: accepted just now instead
                    accepted = now
                    deadline = due_at(local_date(accepted), item.committed_days)
                decided = None if status in (Status.IN_REVIEW, Status.WITHDRAWN) else min(
                    deadline, accepted + timedelta(days=rng.randint(0, 14)))
                applications.append(Application(
                    pk=pk, number=f"LS{local_date(accepted):%Y%m%d}{pk:08d}", service=item,
                    channel=rng.choice([Channel.ONLINE, Channel.WINDOW]), status=status,
                    applicant=rng.choice(citizens), applicant_name="历史申请人", applicant_id_number=_fake_id_number(rng),
                    applicant_phone=f"139{rng.randint(0, 99999999):08d}", created_by=clerk, created_at=accepted,
                    submitted_at=accepted, accepted_at=accepted, intake_clerk=clerk, due_at=deadline,
                    outcome=status if status in DECIDED_OUTCOMES else "",
                    decided_at=decided,
                ))
                final = status != Status.IN_REVIEW
                for department_id, days, lead in plans[item.pk]:
                    stages.append(Stage(
                        application_id=pk, department_id=department_id, days=days, lead=lead, started_at=accepted,
                        due_at=deadline, status=StageStatus.APPROVED if final else StageStatus.PENDING,
                        decided_at=decided,
                    ))
            for stage, pk in zip(stages, reserve_ids(Stage, len(stages))):
                stage.pk = pk
            insert_instances(Application, applications)
            insert_instances(Stage, stages)
            # 涉及部门: each application's item department and its stages' departments, once each.
            concerned = dict.fromkeys([(a.pk, a.service.department_id) for a in applications]
                                      + [(st.application_id, st.department_id) for st in stages])
            insert_rows(ConcernedDepartment, ["application", "department"], list(concerned))
        made += size
        progress.write(f"\rgenerated {made}/{count} applications ({100 * made // count}%)")
        progress.flush()
    progress.write("\n")
    return made
