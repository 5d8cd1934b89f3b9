"""效能投诉 (complaints) and 好差评 (service evaluation), SPEC §2 and §4.

The complaint's state machine is declared with django-fsm-2 below and driven only by
``complaints.services``, inside a transaction that holds the row lock. A running
clock keeps its next instants (``remind_at``, ``escalate_at``) on the row; the sweep
clears each one when it has acted on it, so it acts exactly once.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.catalogue.models import ServiceItem
from portal.choices import QuickDisplay
from portal.organisation.models import Department, Window

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_complaint_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class Category(models.TextChoices):
    DELAY = "delay", _("delay")
    ATTITUDE = "attitude", _("poor attitude")
    BUCK_PASSING = "buck_passing", _("buck-passing")
    EXTRA_MATERIALS = "extra_materials", _("materials asked for beyond the catalogue")
    ILLEGAL_FEE = "illegal_fee", _("fee not in the catalogue")
    BRIBERY = "bribery", _("asking for or taking bribes")
    REFUSED_ACCEPTANCE = "refused_acceptance", _("refused to accept an application")
    OTHER = "other", _("other")


class ComplaintStatus(models.TextChoices):
    FILED = "filed", _("filed")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")
    INVESTIGATING = "investigating", _("under investigation")
    CONCLUDED = "concluded", _("concluded")
    REPLIED = "replied", _("replied")
    REOPENED = "reopened", _("reopened")
    CLOSED = "closed", _("closed")


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("substantiated")
    PARTLY = "partly", _("partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("unsubstantiated")


# A finding of these kinds against an official opens an accountability case (查明必究).
CASE_FINDINGS = (Finding.SUBSTANTIATED, Finding.PARTLY)


class ComplaintLimit(models.Model):
    """The limits of one category, in working days (editable in the admin). A category
    without a row has the defaults of ``complaints.limits``."""

    category = models.CharField(_("category"), max_length=24, choices=Category.choices, unique=True)
    accept_days = models.PositiveSmallIntegerField(_("accept or refuse within (working days)"), default=1)
    reply_days = models.PositiveSmallIntegerField(_("reply within (working days)"), default=15)

    class Meta:
        verbose_name = _("complaint limit")
        verbose_name_plural = _("complaint limits")
        ordering = ["category"]

    def __str__(self) -> str:
        return self.get_category_display()


class Complaint(QuickDisplay):
    """效能投诉: "有诉必查、查明必究、件件有回音". The complainant's identity lives only
    here and is shown only to the discipline office, the supervisors and the
    investigator — never to the accused official."""

    TRANSITION_REFUSED = _("This is not possible while the complaint is %(status)s.")

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    code = models.CharField(_("follow-up code"), max_length=16, default=new_complaint_code)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    description = models.TextField(_("description"))

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official complained about"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    staff_badge = models.CharField(_("badge number"), max_length=16, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="complaints")
    application = models.ForeignKey("approvals.Application", verbose_name=_("application"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    # 服务承诺制: the published commitment on quality or attitude the complainant says was broken.
    commitment = models.ForeignKey("organisation.ServiceCommitment", verbose_name=_("service commitment broken"),
                                   null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")

    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("complainant account"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="complaints")
    complainant_name = models.CharField(_("complainant"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    status = FSMField(_("status"), default=ComplaintStatus.FILED, choices=ComplaintStatus.choices, protected=True)
    filed_at = models.DateTimeField(_("filed at"))
    accept_due_at = models.DateTimeField(_("accept or refuse by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted or refused by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("investigator"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="investigations")
    # 复查: whoever investigated before the complainant was unsatisfied may not investigate again.
    excluded_investigator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("reply due by"), null=True, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    satisfied = models.BooleanField(_("complainant satisfied"), null=True, blank=True)
    feedback_comment = models.TextField(_("complainant's comment"), blank=True)
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The accountability case a finding opened (its number: the case lives in ``accountability``).
    case_number = models.CharField(_("accountability case"), max_length=40, blank=True)

    # The running clock: accept/refuse while filed, reply afterwards. ``remind_at`` and
    # ``escalate_at`` are cleared once the sweep acted on them or the clock stopped.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="complaint_queue_idx"),
            models.Index(fields=["remind_at"], name="complaint_remind_idx"),
            models.Index(fields=["escalate_at"], name="complaint_escalate_idx"),
            models.Index(fields=["investigator", "status"], name="complaint_investigator_idx"),
            models.Index(fields=["department", "finding"], name="complaint_department_idx"),
            models.Index(fields=["staff", "finding"], name="complaint_staff_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def reopened(self) -> bool:
        return self.reopened_at is not None

    def can_reopen(self) -> bool:
        return not self.reopened

    # Transitions (SPEC §4). Side effects live in services, not here.
    @transition(field=status, source=[ComplaintStatus.FILED], target=ComplaintStatus.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=[ComplaintStatus.FILED], target=ComplaintStatus.REFUSED)
    def refuse(self):
        pass

    @transition(field=status, source=[ComplaintStatus.ACCEPTED, ComplaintStatus.REOPENED,
                                      ComplaintStatus.INVESTIGATING], target=ComplaintStatus.INVESTIGATING)
    def assign(self):
        pass

    @transition(field=status, source=[ComplaintStatus.INVESTIGATING], target=ComplaintStatus.CONCLUDED)
    def conclude(self):
        pass

    @transition(field=status, source=[ComplaintStatus.CONCLUDED], target=ComplaintStatus.REPLIED)
    def reply(self):
        pass

    @transition(field=status, source=[ComplaintStatus.REPLIED], target=ComplaintStatus.CLOSED)
    def close(self):
        pass

    @transition(field=status, source=[ComplaintStatus.REPLIED], target=ComplaintStatus.REOPENED,
                conditions=[can_reopen])
    def reopen(self):
        pass


# States in which the reply clock runs.
REPLY_CLOCK = (ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING, ComplaintStatus.CONCLUDED,
               ComplaintStatus.REOPENED)
OPEN_COMPLAINT = (ComplaintStatus.FILED, *REPLY_CLOCK)


class Level(models.IntegerChoices):
    """The five levels of 好差评 (国办发〔2019〕51号)."""

    VERY_SATISFIED = 5, _("very satisfied (非常满意)")
    SATISFIED = 4, _("satisfied (满意)")
    BASICALLY_SATISFIED = 3, _("basically satisfied (基本满意)")
    DISSATISFIED = 2, _("dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("very dissatisfied (非常不满意)")


# 差评: the two lowest levels open a follow-up. 满意率 counts the three highest.
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
SATISFIED_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)


class RatingSource(models.TextChoices):
    CITIZEN = "citizen", _("the applicant")
    DEFAULT = "default", _("no rating within 7 days")


class AppealStatus(models.TextChoices):
    NONE = "", _("none")
    PENDING = "pending", _("appealed to the supervisor")
    UPHELD = "upheld", _("upheld: rating struck")
    DISMISSED = "dismissed", _("dismissed: rating kept")


class Evaluation(models.Model):
    """好差评: one rating per decided application, by its applicant, or 基本满意 by default.
    A struck rating stays on record with its reason and is left out of every figure."""

    application = models.OneToOneField("approvals.Application", on_delete=models.CASCADE,
                                       related_name="evaluation")
    service = models.ForeignKey(ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT,
                                related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("handling unit"), on_delete=models.PROTECT,
                                   related_name="+")
    window = models.ForeignKey(Window, verbose_name=_("window"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=RatingSource.choices)
    rated_at = models.DateTimeField(_("rated at"))
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    appeal_status = models.CharField(_("appeal"), max_length=10, choices=AppealStatus.choices, blank=True)
    appeal_grounds = models.TextField(_("grounds of the appeal"), blank=True)
    appealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    appealed_at = models.DateTimeField(null=True, blank=True)
    struck = models.BooleanField(_("struck"), default=False)
    decision_reason = models.TextField(_("supervisor's reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-rated_at", "-id"]
        indexes = [
            models.Index(fields=["service", "rated_at"], name="evaluation_service_idx"),
            models.Index(fields=["window", "rated_at"], name="evaluation_window_idx"),
            models.Index(fields=["department", "rated_at"], name="evaluation_department_idx"),
            models.Index(fields=["rated_at"], name="evaluation_rated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.score}"

    @property
    def bad(self) -> bool:
        return self.score in BAD_LEVELS


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled: rating struck")


class FollowUpAction(models.TextChoices):
    CALL_BACK = "call_back", _("called the citizen back")
    FIXED = "fixed", _("fixed the problem")
    EXPLAINED = "explained", _("explained the decision")


class FollowUp(models.Model):
    """差评整改: the handling unit calls back, fixes or explains within its limit and
    tells the citizen what it did."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="follow_up")
    department = models.ForeignKey(Department, verbose_name=_("handling unit"), on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due at"))
    overdue = models.BooleanField(_("marked overdue"), default=False)
    overdue_marked_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=FollowUpAction.choices, blank=True)
    note = models.TextField(_("what the citizen was told"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = _("follow-up of a bad rating")
        verbose_name_plural = _("follow-ups of bad ratings")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["department", "status", "due_at"], name="followup_queue_idx"),
            models.Index(fields=["due_at"], name="followup_watch_idx",
                         condition=models.Q(status="open", overdue=False)),
        ]


class DefaultRatingMark(models.Model):
    """How far the default-rating sweep has got: every application decided before
    ``decided_before`` has a rating. One row, locked by the sweep, so the sweep reads
    only the newly closed rating windows instead of every decision ever made."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    decided_before = models.DateTimeField(null=True, blank=True)


class RectificationReport(models.Model):
    """书面说明和整改报告: on a substantiated complaint (wholly or partly) the principal
    (主要负责人, 一把手) of the department concerned explains in writing what happened and
    how it is rectified, to the supervisors (效能办), within
    ``settings.RECTIFICATION_REPORT_WORKING_DAYS`` working days. A report missing at the
    limit raises an alert, once, and opens a case against the principal (source
    ``missing_report``)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="rectification")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("principal leader"),
                                  on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("due at"))
    explanation = models.TextField(_("written explanation"), blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("alert raised at"), null=True, blank=True)
    case_number = models.CharField(_("accountability case"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("written explanation and rectification report")
        verbose_name_plural = _("written explanations and rectification reports")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="rectification_due_idx",
                         condition=models.Q(submitted_at__isnull=True, overdue_at__isnull=True)),
            models.Index(fields=["principal", "due_at"], name="rectification_principal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.department.code}"

    @property
    def late(self) -> bool:
        return self.overdue_at is not None
