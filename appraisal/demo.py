"""Demo additions of 评议 (SPEC §7, additions only): a monitoring-point enterprise and a
campaign on the MARKET department."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from appraisal.models import Campaign, DesignatedRespondent, Question, RespondentKind
from approvals.demo import _user
from portal.organisation.models import Department

QUESTIONS = ["办事效率是否满意", "服务态度是否满意", "是否做到一次性告知", "收费是否规范、公开"]


def demo_appraisal_seed() -> dict:
    """The enterprise account ``enterprise`` designated as a monitoring point, and one running
    campaign on MARKET; idempotent (the campaign keeps its period once created)."""
    now = timezone.now()
    enterprise = _user("enterprise", "示例食品有限公司")
    enterprise.groups.clear()
    DesignatedRespondent.objects.update_or_create(
        user=enterprise, defaults={"kind": RespondentKind.MONITORING_POINT, "organisation": "示例食品有限公司",
                                   "credit_code": "91110000000000001X", "designated_at": now})
    department = Department.objects.filter(code="MARKET").first()
    if department is None:
        return {"campaigns": 0}
    campaign, created = Campaign.objects.get_or_create(
        number="PY-DEMO-0001",
        defaults={"title": "市场监督管理局窗口服务民主评议", "department": department,
                  "opens_at": now - timedelta(days=7), "closes_at": now + timedelta(days=30),
                  "created_by": User.objects.get(username="supervisor"), "created_at": now})
    if created:
        Question.objects.bulk_create(Question(campaign=campaign, order=i, text=t)
                                     for i, t in enumerate(QUESTIONS, start=1))
    return {"campaigns": Campaign.objects.count(), "monitoring_points": DesignatedRespondent.objects.count()}
