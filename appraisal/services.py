"""评议: launching a campaign, answering it online, publishing its aggregated results, the
principal's written reply, and designating monitoring-point enterprises and representatives.
Each service is keyword-only, runs in one transaction and writes the audit trail.

三级政务服务: a campaign itself is public (anybody answers a running one; published results
and the principal's reply are for everyone), so a township's supervisor sees the county's
campaigns as any citizen does. What his reach limits is running them: he launches campaigns
only on the departments of his township's centers, and publishes and reads the results of a
running campaign only on those (``runs_campaign``; any other is a 404); the county's
supervisors run every campaign."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accountability.models import ResponsiblePersons, SubjectRole
from appraisal.models import Answer, Campaign, CampaignStatus, DesignatedRespondent, Question, RespondentKind, Response
from portal.audit.services import audit_log
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from portal.locking import for_update
from portal.organisation import roles
from portal.organisation.models import Department
from portal.organisation.selectors import centers_in_reach, in_reach


def runs_campaigns(user) -> bool:
    """The center's supervisors (效能办) run appraisal campaigns."""
    return roles.supervises(user)


def runs_campaign(user, campaign: Campaign) -> bool:
    """三级政务服务: a supervisor runs (publishes, reads the results of while it is open) the
    campaigns on the departments within his reach — a township's supervisor those of his
    township's centers, the county's all (``centers_in_reach``)."""
    if not runs_campaigns(user):
        return False
    centers = centers_in_reach(user)
    return centers is None or Department.objects.filter(pk=campaign.department_id, center_id__in=centers).exists()


def _require_runner(user) -> None:
    if not runs_campaigns(user):
        raise PermissionDenied(_("Only the center's supervisors run appraisal campaigns."))


def campaign_launch(*, actor, title: str, department_code: str, opens_at: datetime, closes_at: datetime,
                    questions: list[str]) -> Campaign:
    """组织评议: a questionnaire on one department, answered from ``opens_at`` to ``closes_at``."""
    _require_runner(actor)
    fields = {}
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        fields["department"] = [_("Unknown department.")]
    elif not Department.objects.filter(in_reach(actor, "center"), pk=department.pk).exists():
        # 三级政务服务: a township's supervisor appraises his own centers' departments only.
        fields["department"] = [_("This department is not within your center's supervision.")]
    if closes_at <= opens_at:
        fields["closes_at"] = [_("After the opening.")]
    questions = [q.strip() for q in questions if q and q.strip()]
    if not questions:
        fields["questions"] = [_("At least one question.")]
    if not (title or "").strip():
        fields["title"] = [_("This field is required.")]
    if fields:
        raise ValidationFailed(_("The campaign cannot be launched."), fields=fields)
    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.create(number=f"tmp-{now.timestamp()}-{actor.pk}", title=title.strip()[:200],
                                           department=department, opens_at=opens_at, closes_at=closes_at,
                                           created_by=actor, created_at=now)
        campaign.number = f"PY{timezone.localdate(now):%Y}-{campaign.pk:04d}"
        campaign.save(update_fields=["number"])
        Question.objects.bulk_create(Question(campaign=campaign, order=i, text=t[:300])
                                     for i, t in enumerate(questions, start=1))
        audit_log(actor=actor, obj=campaign, action="launch", to_status=campaign.status, note=campaign.title,
                  data={"department": department.code})
    return campaign


def respondent_kind(user) -> str:
    designation = DesignatedRespondent.objects.filter(user_id=user.pk).values_list("kind", flat=True).first()
    return designation or RespondentKind.PUBLIC


def response_submit(*, actor, campaign_id, scores: dict[int, int], comment: str = "") -> Response:
    """网上评议: a signed-in person answers every question once, 1 (very dissatisfied) to 5
    (very satisfied), while the campaign is open. Officials of the department do not rate it."""
    if not actor.is_authenticated:
        raise PermissionDenied()
    now = timezone.now()
    with transaction.atomic():
        campaign = for_update(Campaign.objects.all()).filter(pk=campaign_id).first()
        if campaign is None:
            raise NotFound()
        if campaign.status != CampaignStatus.RUNNING or not campaign.opens_at <= now <= campaign.closes_at:
            raise StateConflict(_("This appraisal is not open for answers."), code="not_open")
        if getattr(getattr(actor, "staff_profile", None), "department_id", None) == campaign.department_id:
            raise PermissionDenied(_("Officials of the department do not appraise it."), code="own_department")
        questions = set(campaign.questions.values_list("pk", flat=True))
        problems = {}
        if set(scores) != questions:
            problems["answers"] = [_("Answer every question of this appraisal once.")]
        elif any(not isinstance(s, int) or not 1 <= s <= 5 for s in scores.values()):
            problems["answers"] = [_("A score from 1 to 5.")]
        if problems:
            raise ValidationFailed(_("The answers are not valid."), fields=problems)
        try:
            with transaction.atomic():
                response = Response.objects.create(campaign=campaign, respondent=actor, kind=respondent_kind(actor),
                                                   submitted_at=now, comment=(comment or "").strip()[:2000])
        except IntegrityError:
            raise StateConflict(_("You already answered this appraisal."), code="already_answered") from None
        Answer.objects.bulk_create(Answer(response=response, question_id=q, score=s) for q, s in scores.items())
    return response


def campaign_publish(*, actor, campaign_id) -> Campaign:
    """公布评议结果: after the period, the aggregated results become public. Only a campaign
    on a department within the actor's reach (``runs_campaign``); NotFound for any other."""
    _require_runner(actor)
    now = timezone.now()
    with transaction.atomic():
        campaign = (for_update(Campaign.objects.all())
                    .filter(in_reach(actor, "department__center"), pk=campaign_id).first())
        if campaign is None:
            raise NotFound()
        if now <= campaign.closes_at:
            raise StateConflict(_("The appraisal is still open."), code="still_open")
        if not can_proceed(campaign.publish):
            raise StateConflict(_("The results are already published."), code="invalid_state")
        campaign.publish()
        campaign.published_at = now
        campaign.save(update_fields=["status", "published_at"])
        audit_log(actor=actor, obj=campaign, action="publish", from_status=CampaignStatus.RUNNING,
                  to_status=campaign.status, at=now)
    return campaign


def is_principal_of(user, campaign: Campaign) -> bool:
    """Whether ``user`` is the principal (主要负责人) of the campaign's department."""
    persons = ResponsiblePersons.objects.filter(department_id=campaign.department_id).first()
    principal = persons.person(SubjectRole.PRINCIPAL) if persons else None
    return user.is_authenticated and principal is not None and principal.pk == user.pk


def campaign_reply(*, actor, campaign_id, text: str) -> Campaign:
    """书面答复: the department's principal (主要负责人, 一把手) answers the published results."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write the reply."), fields={"text": [_("This field is required.")]})
    now = timezone.now()
    with transaction.atomic():
        campaign = for_update(Campaign.objects.all()).filter(pk=campaign_id).first()
        if campaign is None:
            raise NotFound()
        if not is_principal_of(actor, campaign):
            raise PermissionDenied(_("The principal of the department answers in writing."), code="not_principal")
        if campaign.status != CampaignStatus.PUBLISHED:
            raise StateConflict(_("The results are not published yet."), code="not_published")
        if campaign.replied_at is not None:
            raise StateConflict(_("The principal has already answered."), code="already_replied")
        campaign.reply, campaign.replied_by, campaign.replied_at = text, actor, now
        campaign.save(update_fields=["reply", "replied_by", "replied_at"])
        audit_log(actor=actor, obj=campaign, action="reply", note=text[:200], at=now)
    return campaign


def respondent_designate(*, actor, username: str, kind: str, organisation: str,
                         credit_code: str = "") -> DesignatedRespondent:
    """确定监测点企业 (or a representative): their answers are counted apart."""
    _require_runner(actor)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    fields = {}
    if user is None:
        fields["username"] = [_("No account with this username.")]
    if kind not in (RespondentKind.MONITORING_POINT, RespondentKind.REPRESENTATIVE):
        fields["kind"] = [_("One of: %(codes)s") % {"codes": "monitoring_point, representative"}]
    if not (organisation or "").strip():
        fields["organisation"] = [_("This field is required.")]
    if fields:
        raise ValidationFailed(_("The respondent cannot be designated."), fields=fields)
    with transaction.atomic():
        designation, _created = DesignatedRespondent.objects.update_or_create(
            user=user, defaults={"kind": kind, "organisation": organisation.strip()[:200],
                                 "credit_code": (credit_code or "").strip()[:18], "designated_at": timezone.now()})
        audit_log(actor=actor, obj=designation, action="designate", note=designation.organisation,
                  data={"username": username, "kind": kind})
    return designation
