"""责任追究制: accountability cases against officials (SPEC §4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.choices import QuickDisplay
from portal.organisation.models import Department


class SubjectRole(models.TextChoices):
    DIRECT = "direct", _("directly responsible person")
    LEADER_IN_CHARGE = "leader_in_charge", _("leader in charge")
    PRINCIPAL = "principal", _("principal leader")


class CaseSource(models.TextChoices):
    COMPLAINT = "complaint", _("substantiated complaint")
    DEEMED_APPROVAL = "deemed_approval", _("deemed approval")
    RED_ALERT = "red_alert", _("red alert")
    REFERRAL = "referral", _("supervisor referral")
    # 主要负责人 did not submit the written explanation and rectification report in time.
    MISSING_REPORT = "missing_report", _("rectification report not submitted")
    INSPECTION = "inspection", _("inspection visit (明查暗访)")


class Severity(models.TextChoices):
    """情节: a serious case (情节严重) extends accountability to the leader in charge at once."""

    ORDINARY = "ordinary", _("ordinary")
    SERIOUS = "serious", _("serious")


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("opened")
    INVESTIGATING = "investigating", _("investigating")
    DECIDED = "decided", _("decided")
    NOTIFIED = "notified", _("subject notified")
    APPEALED = "appealed", _("appealed")
    FINAL = "final", _("final")


class Sanction(models.TextChoices):
    """The ladder, from the mildest step up (``no_fault`` is not a step of it)."""

    NO_FAULT = "no_fault", _("no fault")
    EFFICIENCY_WARNING = "efficiency_warning", _("efficiency warning (效能告诫)")
    ADMONISHMENT = "admonishment", _("admonishment talk (诫勉谈话)")
    CIRCULATED_CRITICISM = "circulated_criticism", _("circulated criticism (通报批评)")
    REMOVAL_FROM_POST = "removal_from_post", _("removal from post (调离岗位)")
    DISCIPLINARY_REFERRAL = "disciplinary_referral", _("referral for disciplinary sanction (移送处分)")


class AccountabilityCase(QuickDisplay):
    """A case against one official in one role, from one source."""

    TRANSITION_REFUSED = _("This is not possible while the case is %(status)s.")

    # Unique by the constraint below (a unique field would get a second, LIKE index).
    number = models.CharField(_("number"), max_length=40)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("subject"), on_delete=models.PROTECT,
                                related_name="accountability_cases", db_index=False)
    subject_role = models.CharField(_("subject role"), max_length=20, choices=SubjectRole.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="accountability_cases", db_index=False)
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=64)
    status = FSMField(_("status"), default=CaseStatus.OPENED, choices=CaseStatus.choices, protected=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    summary = models.TextField(_("summary"), blank=True)
    sanction = models.CharField(_("sanction"), max_length=24, choices=Sanction.choices, blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The columns below have database defaults: the deadline sweep inserts lapse cases
    # with a COPY naming only ``approvals.lapse.CASE_FIELDS`` and its constants.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("investigator"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    investigation_started_at = models.DateTimeField(null=True, blank=True)
    # 典型案例: published without the subject's name.
    publish = models.BooleanField(_("publish as a typical case"), default=False, db_default=False)
    public_summary = models.TextField(_("published summary"), blank=True, default="", db_default="")
    notified_at = models.DateTimeField(_("subject notified at"), null=True, blank=True)
    appeal_due_at = models.DateTimeField(_("appeal possible until"), null=True, blank=True)
    appeal_grounds = models.TextField(_("grounds of appeal"), blank=True, default="", db_default="")
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_upheld = models.BooleanField(_("appeal upheld"), null=True, blank=True)
    appeal_resolution = models.TextField(_("decision on the appeal"), blank=True, default="", db_default="")
    appeal_resolved_at = models.DateTimeField(null=True, blank=True)
    appeal_resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+", db_index=False)
    sanction_before_appeal = models.CharField(max_length=24, choices=Sanction.choices, blank=True, default="",
                                              db_default="")
    final_at = models.DateTimeField(_("final at"), null=True, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.ORDINARY,
                                db_default=Severity.ORDINARY)

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-opened_at"], name="case_subject_idx"),
            models.Index(fields=["status", "-opened_at"], name="case_status_idx"),
            models.Index(fields=["status", "appeal_due_at"], name="case_appeal_due_idx",
                         condition=models.Q(appeal_due_at__isnull=False)),
            models.Index(fields=["department", "-opened_at"], name="case_department_idx"),
            # 绩效考评 over every department: cases opened, and sanctions decided, in a period.
            models.Index(fields=["opened_at"], name="case_opened_idx"),
            models.Index(fields=["decided_at"], name="case_decided_idx", condition=models.Q(decided_at__isnull=False)),
            models.Index(fields=["-decided_at"], name="case_typical_idx", condition=models.Q(publish=True)),
            # subject and department lead the indexes above; the people who work a case are
            # indexed where set (the sweep opens thousands of cases with none of them).
            models.Index(fields=["opened_by"], name="case_opened_by_idx",
                         condition=models.Q(opened_by__isnull=False)),
            models.Index(fields=["decided_by"], name="case_decided_by_idx",
                         condition=models.Q(decided_by__isnull=False)),
            models.Index(fields=["investigator"], name="case_investigator_idx",
                         condition=models.Q(investigator__isnull=False)),
            models.Index(fields=["appeal_resolved_by"], name="case_appeal_by_idx",
                         condition=models.Q(appeal_resolved_by__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["source", "source_ref", "subject", "subject_role"],
                                    name="case_once_per_source_subject"),
        ]

    def __str__(self) -> str:
        return self.number

    # Transitions (SPEC §4); side effects live in ``accountability.decisions``.
    @transition(field=status, source=[CaseStatus.OPENED], target=CaseStatus.INVESTIGATING)
    def start_investigation(self):
        pass

    @transition(field=status, source=[CaseStatus.INVESTIGATING], target=CaseStatus.DECIDED)
    def decide(self):
        pass

    @transition(field=status, source=[CaseStatus.DECIDED], target=CaseStatus.NOTIFIED)
    def notify(self):
        pass

    @transition(field=status, source=[CaseStatus.NOTIFIED], target=CaseStatus.APPEALED)
    def appeal(self):
        pass

    @transition(field=status, source=[CaseStatus.APPEALED], target=CaseStatus.FINAL)
    def resolve_appeal(self):
        pass

    @transition(field=status, source=[CaseStatus.NOTIFIED], target=CaseStatus.FINAL)
    def finalise(self):
        pass


    @property
    def appeal_open(self) -> bool:
        """Notified and the appeal period not yet over: the decision is not final (不是办结)."""
        return self.status == CaseStatus.NOTIFIED and self.appeal_due_at is not None


# The ladder of §4, mildest first.
LADDER = [
    Sanction.EFFICIENCY_WARNING,
    Sanction.ADMONISHMENT,
    Sanction.CIRCULATED_CRITICISM,
    Sanction.REMOVAL_FROM_POST,
    Sanction.DISCIPLINARY_REFERRAL,
]


class InactionRecord(models.Model):
    """行政不作为: a red alert (an item that excludes deemed approval) left without a
    decision for the grace period was answered for, once: by a case against the
    assignee, or the department head when nobody had claimed the stage."""

    alert = models.OneToOneField("approvals.AlertRecord", on_delete=models.CASCADE, related_name="inaction")
    case = models.ForeignKey(AccountabilityCase, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=False)
    checked_at = models.DateTimeField(_("answered for at"))

    class Meta:
        verbose_name = _("administrative inaction")
        verbose_name_plural = _("administrative inaction")
        indexes = [models.Index(fields=["case"], name="inaction_case_idx", condition=models.Q(case__isnull=False))]


class ResponsiblePersons(models.Model):
    """三个责任人 (以部门"一把手"为重点的行政问责): per department the directly
    responsible person when nobody handled the matter (直接责任人/经办人, by default
    the department head), the leader in charge (分管负责人) and the principal leader
    (主要负责人, 一把手)."""

    department = models.OneToOneField(Department, verbose_name=_("department"), on_delete=models.CASCADE,
                                      related_name="responsible_persons")
    direct = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("directly responsible person"),
                               null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    leader_in_charge = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader in charge"),
                                         null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("principal leader"),
                                  null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("responsible persons of a department")
        verbose_name_plural = _("responsible persons of departments")

    def person(self, role: str):
        return {SubjectRole.DIRECT: self.direct or self.department.head,
                SubjectRole.LEADER_IN_CHARGE: self.leader_in_charge,
                SubjectRole.PRINCIPAL: self.principal}[role]


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed (case opened)")
    DISMISSED = "dismissed", _("dismissed")


class EscalationProposal(models.Model):
    """问责延伸: repeated cases in one department within 12 months extend to its leader
    in charge (分管负责人) and then its principal (主要负责人, 一把手). The system
    proposes; the discipline office confirms (a case is opened) or dismisses."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("subject"), on_delete=models.PROTECT,
                                related_name="+")
    subject_role = models.CharField(_("subject role"), max_length=20, choices=SubjectRole.choices)
    TRANSITION_REFUSED = _("This proposal was already %(status)s.")
    status = FSMField(_("status"), default=ProposalStatus.PROPOSED, choices=ProposalStatus.choices, protected=True)
    proposed_at = models.DateTimeField(_("proposed at"))
    window_start = models.DateTimeField(_("cases counted from"))
    case_count = models.PositiveIntegerField(_("cases in 12 months"))
    cases = models.ManyToManyField(AccountabilityCase, verbose_name=_("cases behind the proposal"),
                                   related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    case = models.ForeignKey(AccountabilityCase, verbose_name=_("case opened"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("escalation proposal")
        verbose_name_plural = _("escalation proposals")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["department", "subject_role", "-proposed_at"], name="proposal_dept_idx"),
                   models.Index(fields=["status", "-proposed_at"], name="proposal_status_idx")]

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=[ProposalStatus.PROPOSED], target=ProposalStatus.CONFIRMED)
    def confirm(self):
        pass

    @transition(field=status, source=[ProposalStatus.PROPOSED], target=ProposalStatus.DISMISSED)
    def dismiss(self):
        pass



class UndecidedEscalation(models.Model):
    """责任追究落实不到位: a case left undecided past its limit
    (``settings.CASE_DECISION_WORKING_DAYS`` working days from its opening) was
    escalated to the discipline office's head, once."""

    case = models.OneToOneField(AccountabilityCase, verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="undecided_escalation")
    escalated_at = models.DateTimeField(_("escalated at"))
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("escalated to"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    status_then = models.CharField(_("status when escalated"), max_length=20, choices=CaseStatus.choices)

    class Meta:
        verbose_name = _("undecided case escalated")
        verbose_name_plural = _("undecided cases escalated")
        ordering = ["-escalated_at", "-id"]
        indexes = [models.Index(fields=["-escalated_at"], name="undecided_escalated_idx"),
                   models.Index(fields=["escalated_to"], name="undecided_escalated_to_idx")]
