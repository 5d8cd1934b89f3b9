"""Applications, their materials, correction notices, stages and formal documents.

State machines follow SPEC §4; the allowed transitions are declared with
django-fsm-2 on the models below and called only from ``approvals.services``,
inside a transaction that holds the row lock.
"""

import secrets
import uuid

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.catalogue.models import IntermediaryService, MaterialRequirement, ServiceItem
from portal.choices import QuickDisplay
from portal.organisation.models import Department, ServiceCenter
from portal.validation import mask_id_number

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    WINDOW = "window", _("at the window")
    PROXY = "proxy", _("by a proxy officer (代办)")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CORRECTION_REQUESTED = "correction_requested", _("correction requested")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    IN_REVIEW = "in_review", _("in review")
    SUSPENDED = "suspended", _("suspended")
    APPROVED = "approved", _("approved")
    DENIED = "denied", _("denied")
    DEEMED_APPROVED = "deemed_approved", _("deemed approved")
    ISSUED = "issued", _("certificate issued")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Not yet answered: the applicant may still withdraw (``Application.withdraw``).
OPEN_STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.CORRECTION_REQUESTED, Status.IN_REVIEW, Status.SUSPENDED]
# The outcome a decision records, and the decisions the public register lists: the targets of
# the deciding transitions (``approve``, ``deny``, ``deem_approve``; tests/approvals/test_decided_outcomes.py).
DECIDED_OUTCOMES = (Status.APPROVED, Status.DENIED, Status.DEEMED_APPROVED)
# Applications the center has answered: decided, handed over, or not accepted at intake.
DECIDED = (*DECIDED_OUTCOMES, Status.ISSUED, Status.NOT_ACCEPTED)


class Alert(models.TextChoices):
    NONE = "none", _("none")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")


class SuspensionKind(models.TextChoices):
    APPLICANT_CORRECTION = "applicant_correction", _("waiting for the applicant's corrections")
    EXCLUDED_PROCEDURE = "excluded_procedure", _("statutory excluded procedure")
    INTERMEDIARY = "intermediary", _("intermediary service (中介服务)")


class ExcludedProcedure(models.TextChoices):
    """Excluded time (Administrative Licensing Law art. 45)."""

    HEARING = "hearing", _("hearing")
    INSPECTION = "inspection", _("on-site inspection")
    TESTING = "testing", _("testing")
    QUARANTINE = "quarantine", _("quarantine")
    APPRAISAL = "appraisal", _("appraisal")
    EXPERT_REVIEW = "expert_review", _("expert review")
    OTHER = "other", _("other statutory procedure")


class Application(QuickDisplay):
    """办件: one application, from first contact to certificate (一窗受理)."""

    TRANSITION_REFUSED = _("This is not possible while the application is %(status)s.")

    # Unique by the constraint in Meta (a unique field would get a second, LIKE index, which
    # every decision rewrites).
    number = models.CharField(_("number"), max_length=32, null=True, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, default=new_tracking_code)
    service = models.ForeignKey(ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT,
                                related_name="applications")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)

    # Indexed by app_applicant_idx (applicant, -id).
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant account"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="applications",
                                  db_index=False)
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    applicant_id_number = models.CharField(_("ID number"), max_length=18)
    applicant_phone = models.CharField(_("mobile number"), max_length=11)
    applicant_email = models.EmailField(_("e-mail"), blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("materials received at"), null=True, blank=True)
    intake_due_at = models.DateTimeField(_("acceptance decision due at"), null=True, blank=True)
    intake_clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("intake clerk"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    # 三级政务服务: the center whose window took the application in (none: online); the result is
    # handed out there. Indexed where set (centers.center_figures counts by it).
    intake_center = models.ForeignKey(ServiceCenter, verbose_name=_("taken in at"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+", db_index=False)
    # 代办: the citizen's recorded consent to the proxy officer (created_by) applying for him.
    proxy_consent = models.CharField(_("applicant's consent to the proxy"), max_length=500, blank=True)
    # 当场受理: a complete walk-in is answered the same working day; missing it is on record.
    spot_due_at = models.DateTimeField(_("to be accepted or refused on the spot by"), null=True, blank=True)
    spot_missed = models.BooleanField(_("not answered on the spot"), default=False)
    # 绿色通道: an application of a key project (重点项目), followed by its project manager; the
    # project's shorter committed limit per stage, fixed at acceptance (None: the item's own).
    key_project = models.ForeignKey("projects.KeyProject", verbose_name=_("key project"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="applications", db_index=False)
    green_channel_days = models.PositiveSmallIntegerField(_("green-channel limit (working days)"), null=True,
                                                          blank=True)

    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("accepted by operation of law"), default=False)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("yellow alert at"), null=True, blank=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    # The running clock is "clock_days working days after clock_start" (SPEC §3), so a
    # provisional deadline can be recomputed when that year's official calendar arrives.
    clock_start = models.DateField(null=True, blank=True)
    clock_days = models.PositiveSmallIntegerField(null=True, blank=True)
    alert = models.CharField(_("alert"), max_length=8, choices=Alert.choices, default=Alert.NONE)

    refusal_reason = models.TextField(_("reason for not accepting"), blank=True)
    refusal_legal_basis = models.TextField(_("legal basis"), blank=True)

    # Suspension (SPEC §3): the remaining working days are frozen while suspended.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_kind = models.CharField(_("suspension"), max_length=24, choices=SuspensionKind.choices, blank=True)
    suspension_reason = models.CharField(_("reason for suspension"), max_length=32, blank=True,
                                         choices=ExcludedProcedure.choices)
    suspension_note = models.TextField(_("suspension note"), blank=True)
    suspension_expected_days = models.PositiveSmallIntegerField(_("expected working days"), null=True, blank=True)
    remaining_days_frozen = models.PositiveSmallIntegerField(null=True, blank=True)
    suspended_days_total = models.PositiveIntegerField(_("working days suspended"), default=0)
    # Extension (art. 42): at most once.
    extended_days = models.PositiveSmallIntegerField(_("extension (working days)"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for extension"), blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)

    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    onsite = models.BooleanField(_("completed on site"), default=False)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    issued_at = models.DateTimeField(_("certificate handed over at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-id"]
        indexes = [
            # The window's queue pages "new" by intake deadline and "due soon" by deadline, then id
            # (WINDOW_SECTIONS); the sweep finds what is due. Deadlines fall at the end of a working
            # day, so tens of thousands of applications share one: with the id in the index a page is
            # one range of it, not a sort of every application sharing the first deadline (135 ms).
            models.Index(fields=["status", "intake_due_at", "id"], name="app_intake_due_list_idx"),
            models.Index(fields=["status", "due_at", "id"], name="app_due_list_idx"),
            models.Index(fields=["applicant", "-id"], name="app_applicant_idx"),
            models.Index(fields=["outcome", "-decided_at"], name="app_register_idx"),
            # The public register pages newest decision first (approvals.selectors.REGISTER_ORDER).
            models.Index(fields=["decided_at", "id"], name="app_register_list_idx",
                         condition=models.Q(outcome__in=list(DECIDED_OUTCOMES))),
            # ?status=… pages newest first (the window's "submitted" list, its bounded count): a
            # walk of one status in id order that stops at the page, not a sort of every row in
            # that status (4 ms of PostgreSQL a page and as much for its count at 10,800 submitted).
            models.Index(fields=["status", "-id"], name="app_status_list_idx"),
            # ?alert=yellow|red pages newest first; most applications have no alert.
            models.Index(fields=["alert", "id"], name="app_alert_idx", condition=models.Q(alert__in=["yellow", "red"])),
            # A clerk's open intake work (portal.organisation.posts: his queue as his B post sees it,
            # routed to the B post when he is away): few rows, which the primary key walked all of
            # (370 ms at a million applications). Online applications have no intake clerk until
            # accepted: they are not in it, so creating and submitting one does not write it.
            models.Index(fields=["intake_clerk", "id"], name="app_open_intake_idx",
                         condition=models.Q(status__in=["draft", "submitted", "correction_requested"],
                                            intake_clerk__isnull=False)),
            # Foreign keys that are mostly empty are indexed where set: every index is written
            # again when the sweep decides an application.
            models.Index(fields=["extended_by"], name="app_extended_by_idx",
                         condition=models.Q(extended_by__isnull=False)),
            models.Index(fields=["intake_center"], name="app_intake_center_idx",
                         condition=models.Q(intake_center__isnull=False)),
            models.Index(fields=["key_project", "id"], name="app_key_project_idx",
                         condition=models.Q(key_project__isnull=False)),
            # 当场受理: complete walk-ins still waiting for the window's answer (the sweep walks it).
            models.Index(fields=["spot_due_at"], name="app_spot_due_idx",
                         condition=models.Q(status="submitted", spot_missed=False, spot_due_at__isnull=False)),
        ]
        constraints = [models.UniqueConstraint(fields=["number"], name="application_number_unique")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # one saved by the ORM (the services insert theirs by statement and say so)
            ConcernedDepartment.objects.add([(self.pk, self.service.department_id)])

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number)

    # Transitions (SPEC §4). Side effects live in services, not here.
    @transition(field=status, source=[Status.DRAFT], target=Status.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=[Status.SUBMITTED], target=Status.CORRECTION_REQUESTED)
    def request_correction(self):
        pass

    @transition(field=status, source=[Status.CORRECTION_REQUESTED], target=Status.SUBMITTED)
    def resubmit(self):
        pass

    @transition(field=status, source=[Status.SUBMITTED], target=Status.IN_REVIEW)
    def accept(self):
        pass

    @transition(field=status, source=[Status.SUBMITTED], target=Status.NOT_ACCEPTED)
    def refuse(self):
        pass

    @transition(field=status, source=OPEN_STATUSES, target=Status.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=status, source=[Status.IN_REVIEW], target=Status.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=status, source=[Status.SUSPENDED], target=Status.IN_REVIEW)
    def resume(self):
        pass

    @transition(field=status, source=[Status.IN_REVIEW], target=Status.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=[Status.IN_REVIEW, Status.SUSPENDED], target=Status.DENIED)
    def deny(self):
        pass

    @transition(field=status, source=[Status.IN_REVIEW], target=Status.DEEMED_APPROVED)
    def deem_approve(self):
        pass

    @transition(field=status, source=[Status.APPROVED, Status.DEEMED_APPROVED], target=Status.ISSUED)
    def hand_over(self):
        pass


class MaterialFile(models.Model):
    """One uploaded file for one required material. The newest one counts."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="applications/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("material file")
        verbose_name_plural = _("material files")
        ordering = ["id"]


class CorrectionNotice(models.Model):
    """一次性告知书: ONE notice listing every missing or defective material."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="correction_notices")
    sequence = models.PositiveSmallIntegerField()
    stage = models.ForeignKey("Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text=_("Set when a reviewer asked for the correction during review."))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("correction notice")
        verbose_name_plural = _("correction notices")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["application", "sequence"], name="notice_sequence_unique"),
        ]

    @property
    def number(self) -> str:
        return f"{self.application.number}-BZ{self.sequence}"


class CorrectionItem(models.Model):
    notice = models.ForeignKey(CorrectionNotice, on_delete=models.CASCADE, related_name="items")
    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["id"]


class StageStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    CLAIMED = "claimed", _("claimed")
    APPROVED = "approved", _("approved")
    DENIED = "denied", _("denied")
    DEEMED_APPROVED = "deemed_approved", _("deemed approved")
    CANCELLED = "cancelled", _("cancelled")


# A stage still waiting for its department's decision.
OPEN_STAGE = (StageStatus.PENDING, StageStatus.CLAIMED)


class Stage(QuickDisplay):
    """并联审批: one department's review of an accepted application."""

    TRANSITION_REFUSED = _("This stage is %(status)s; the action is no longer possible.")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stages")
    # Indexed by stage_queue_idx (department, status, due_at).
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="stages", db_index=False)
    lead = models.BooleanField(_("lead department"), default=False)
    status = FSMField(_("status"), default=StageStatus.PENDING, choices=StageStatus.choices, protected=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="stages", db_index=False)
    days = models.PositiveSmallIntegerField(_("limit (working days)"))
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    alert = models.CharField(max_length=8, choices=Alert.choices, default=Alert.NONE)
    # Copied from the item at acceptance, so the sweep needs no join to decide what lapse means.
    deemed_approval = models.BooleanField(default=True)
    remaining_days_frozen = models.PositiveSmallIntegerField(null=True, blank=True)
    clock_start = models.DateField(null=True, blank=True)
    clock_days = models.PositiveSmallIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    opinion = models.TextField(blank=True)
    # A denial states its legal basis (SPEC §8); empty on approvals.
    legal_basis = models.TextField(_("legal basis"), blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="stage_due_idx"),
            models.Index(fields=["department", "status", "due_at"], name="stage_queue_idx"),
            # A department's open stages in queue order (approvals.selectors.STAGE_QUEUE_ORDER):
            # every page of the reviewer's queue is one range of this index.
            models.Index(fields=["department", "due_at", "id"], name="stage_queue_open_idx",
                         condition=models.Q(status__in=list(OPEN_STAGE))),
            # The same for those who see every department (the window, supervisors): thousands of
            # stages share a due time (the end of a working day), so the id is in the index too.
            models.Index(fields=["due_at", "id"], name="stage_queue_all_idx",
                         condition=models.Q(status__in=list(OPEN_STAGE))),
            # Yellow alerts not yet raised, in warn order (the sweep walks it).
            models.Index(fields=["warn_at"], name="stage_warn_idx",
                         condition=models.Q(status__in=list(OPEN_STAGE), alert="none")),
            # Electronic supervision: decisions by day, and open overdue stages.
            models.Index(fields=["decided_at"], name="stage_decided_idx"),
            models.Index(fields=["due_at", "department", "assignee"], name="stage_open_due_idx",
                         condition=models.Q(status__in=list(OPEN_STAGE))),
            # A department's open stages with an alert, in queue order (the workbench's "stages with
            # an alert", the queue filtered by alert): few among the open ones, which the department's
            # index would read all of (29,301 at a million applications, 60-145 ms for a count of none).
            models.Index(fields=["department", "due_at", "id"], name="stage_alerted_idx",
                         condition=models.Q(status__in=list(OPEN_STAGE), alert__in=["yellow", "red"])),
            # Empty until a person claims or decides: indexed where set.
            models.Index(fields=["assignee"], name="stage_assignee_idx",
                         condition=models.Q(assignee__isnull=False)),
            models.Index(fields=["decided_by"], name="stage_decided_by_idx",
                         condition=models.Q(decided_by__isnull=False)),
        ]

    @transition(field=status, source=[StageStatus.PENDING, StageStatus.CLAIMED], target=StageStatus.CANCELLED)
    def cancel(self):
        pass

    @transition(field=status, source=[StageStatus.PENDING], target=StageStatus.CLAIMED)
    def claim(self):
        pass

    @transition(field=status, source=[StageStatus.CLAIMED], target=StageStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=[StageStatus.CLAIMED], target=StageStatus.DENIED)
    def deny(self):
        pass

    @transition(field=status, source=[StageStatus.PENDING, StageStatus.CLAIMED], target=StageStatus.DEEMED_APPROVED)
    def deem_approve(self):
        pass

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STAGE

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # a stage saved one by one (the services insert theirs in bulk and say so)
            ConcernedDepartment.objects.add([(self.application_id, self.department_id)])


class ConcernedDepartmentManager(models.Manager):
    def add(self, pairs) -> None:
        """Record that each (application id, department id) of ``pairs`` concerns that
        department; pairs already recorded are left as they are. One statement, written here
        rather than compiled by ``bulk_create(ignore_conflicts=True)`` on every call: an
        application's creation sends it (portal.bulk's reason for its one-row INSERT)."""
        pairs = list(dict.fromkeys(pairs))
        if not pairs:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(self.model._meta.db_table)} ({quote('application_id')}, {quote('department_id')}) "
                f"VALUES {', '.join(['(%s, %s)'] * len(pairs))} ON CONFLICT DO NOTHING",
                [value for pair in pairs for value in pair])


class ConcernedDepartment(models.Model):
    """涉及部门: a department an application concerns — the department of its item (受理、主办)
    or one with a stage of it (并联审批、协办). The one place a department's list of applications
    (``approvals.permissions.concerning_department``) reads: its key (department, application)
    serves a department's applications newest first as one range of one index, however many newer
    applications of other departments lie between them (the lists walked the whole table's newest
    rows before). It holds exactly what ``concerned_departments_expected`` derives from the items
    and the stages: an application's row for its item's department when it is created (and moved
    when the item moves to another department), a row per stage department at acceptance."""

    pk = models.CompositePrimaryKey("department", "application")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: the key's second column; applications are never deleted but by hand.
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="concerned_departments",
                                    db_index=False)

    objects = ConcernedDepartmentManager()

    class Meta:
        verbose_name = _("department concerned")
        verbose_name_plural = _("departments concerned")




class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("acceptance receipt")
    CORRECTION_NOTICE = "correction_notice", _("one-time correction notice")
    REFUSAL = "refusal", _("decision not to accept")
    CERTIFICATE = "certificate", _("certificate")
    DECISION = "decision", _("decision")
    SUSPENSION = "suspension", _("notice of suspension")
    EXTENSION = "extension", _("notice of extension")
    PAYMENT_NOTICE = "payment_notice", _("payment notice")
    PAYMENT_RECEIPT = "payment_receipt", _("receipt of payment")


class AlertRecord(models.Model):
    """电子监察 红黄牌: an alert kept as a record, raised once per clock and level."""

    level = models.CharField(max_length=8, choices=[(Alert.YELLOW, _("yellow")), (Alert.RED, _("red"))])
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="alerts")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    # 上报事项负责代理: the referral whose own clock passed (the higher center's result is late).
    referral = models.ForeignKey("centers.Referral", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="alerts")
    # 提前介入 预审: the pre-review whose own clock (of a draft, before any other) is late.
    # (Its index is the partial unique one below: most alerts have no pre-review.)
    pre_review = models.ForeignKey("projects.PreReview", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="alerts", db_index=False)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="alerts")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    raised_at = models.DateTimeField()
    due_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "stage", "level"], name="alert_once_per_stage",
                                    condition=models.Q(stage__isnull=False)),
            models.UniqueConstraint(fields=["application", "level"], name="alert_once_per_application",
                                    condition=models.Q(stage__isnull=True, referral__isnull=True,
                                                       pre_review__isnull=True)),
            models.UniqueConstraint(fields=["referral", "level"], name="alert_once_per_referral",
                                    condition=models.Q(referral__isnull=False)),
            models.UniqueConstraint(fields=["pre_review", "level"], name="alert_once_per_pre_review",
                                    condition=models.Q(pre_review__isnull=False)),
        ]
        indexes = [
            models.Index(fields=["department", "-raised_at"], name="alert_department_idx"),
            models.Index(fields=["raised_at"], name="alert_raised_idx"),
        ]


class IssuedDocument(models.Model):
    """A formal document as issued: its content is frozen here so the PDF and the public
    verification page always show what was issued (扫码核验)."""

    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    number = models.CharField(max_length=64)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    verify_code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    content = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["issued_by"], name="document_issued_by_idx",
                         condition=models.Q(issued_by__isnull=False)),
        ]


class ApplicantProfile(models.Model):
    """The citizen's saved details: they fill in the next application form (he keeps them
    up to date himself; nothing is copied without his asking)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_profile")
    name = models.CharField(_("applicant name"), max_length=200)
    id_number = models.CharField(_("resident ID number"), max_length=18)
    phone = models.CharField(_("mobile number"), max_length=11)
    email = models.EmailField(_("e-mail"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")


class IntermediaryStatus(models.TextChoices):
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class IntermediaryStage(models.Model):
    """中介服务 on an application, tracked like a stage: the intermediary organisation's own clock
    (the service's published limit) runs while the departments' clocks stand still, so its time
    is visible and never counted inside a department's limit."""

    TRANSITION_REFUSED = _("This intermediary service is %(status)s; the action is no longer possible.")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="intermediary_stages")
    service = models.ForeignKey(IntermediaryService, verbose_name=_("intermediary service"),
                                on_delete=models.PROTECT, related_name="+")
    status = FSMField(_("status"), default=IntermediaryStatus.RUNNING, choices=IntermediaryStatus.choices,
                      protected=True)
    days = models.PositiveSmallIntegerField(_("limit (working days)"))
    fee_amount = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    working_days_used = models.PositiveSmallIntegerField(_("working days taken"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    # 电子监察: when the department and the supervisors were told it ran past its own limit (once).
    late_told_at = models.DateTimeField(_("told late at"), null=True, blank=True)

    class Meta:
        verbose_name = _("intermediary service of an application")
        verbose_name_plural = _("intermediary services of applications")
        ordering = ["id"]
        indexes = [models.Index(fields=["due_at"], name="intermediary_running_idx",
                                condition=models.Q(status="running")),
                   models.Index(fields=["due_at"], name="intermediary_late_idx",
                                condition=models.Q(status="running", late_told_at__isnull=True))]
        constraints = [models.UniqueConstraint(fields=["application"], name="intermediary_one_running",
                                               condition=models.Q(status="running"))]

    @transition(field=status, source=[IntermediaryStatus.RUNNING], target=IntermediaryStatus.COMPLETED)
    def complete(self):
        pass

    @transition(field=status, source=[IntermediaryStatus.RUNNING], target=IntermediaryStatus.CANCELLED)
    def cancel(self):
        pass
