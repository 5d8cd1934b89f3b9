"""特事特办 / 绿色通道 and 项目经理制 (seed 001 line 43; "对重点企业、重点项目、重点工程，要建立并联
审批的'绿色通道'", "全面推行项目官员制", "项目进来后，交由项目经理全程跟踪、督办、负责"): a key
project (重点项目) has a named project manager who follows every application of the project
across departments, and a shorter committed limit per stage for those applications; 提前介入:
a pre-application consultation (预审) checks an application's materials before it is formally
submitted, without starting any clock.

Applications are referred to by dotted name: this app imports nothing above it."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class KeyProject(models.Model):
    """重点项目: a project on the green channel (绿色通道), followed by its project manager (项目经理)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    enterprise = models.CharField(_("enterprise"), max_length=200)
    center = models.ForeignKey("organisation.ServiceCenter", verbose_name=_("service center"),
                               on_delete=models.PROTECT, related_name="key_projects")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("project manager (项目经理)"),
                                on_delete=models.PROTECT, related_name="managed_projects")
    # The enterprise's own account: it may file the project's applications online.
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("enterprise account"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="key_projects")
    stage_days = models.PositiveSmallIntegerField(
        _("committed limit per stage (working days)"), validators=[MinValueValidator(1)],
        help_text=_("绿色通道: each stage of the project's applications is decided within this many working days "
                    "(or its own limit, if shorter)."))
    active = models.BooleanField(_("on the green channel"), default=True)
    designated_at = models.DateTimeField(_("designated at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["code"]
        indexes = [
            # The key-project field's suggestions match a name's start (LIKE 'typed%'); the code
            # has its pattern index from ``unique`` already.
            models.Index(fields=["name"], opclasses=["varchar_pattern_ops"], condition=models.Q(active=True),
                         name="keyproject_active_name_like"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PreReviewStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for the pre-review")
    ANSWERED = "answered", _("answered")


class PreReviewResult(models.TextChoices):
    READY = "ready", _("materials complete: ready to submit")
    CHANGES_NEEDED = "changes_needed", _("materials to complete before submitting")


class PreReviewAlert(models.TextChoices):
    NONE = "none", _("none")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")


class PreReview(models.Model):
    """提前介入 预审: the materials of a draft application checked before its formal submission.
    No clock of the application runs: it stays a draft until the applicant submits it. The
    pre-review itself is answered within settings.PRE_REVIEW_WORKING_DAYS working days
    (``due_at``), watched like every other clock (电子监察: yellow at ``warn_at``, red past
    ``due_at``; each alert raised once, when recorded in ``yellow_at``/``red_at``)."""

    TRANSITION_REFUSED = _("The pre-review is %(status)s; this is no longer possible.")

    application = models.ForeignKey("approvals.Application", on_delete=models.CASCADE, related_name="pre_reviews")
    status = FSMField(_("status"), default=PreReviewStatus.REQUESTED, choices=PreReviewStatus.choices,
                      protected=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    question = models.TextField(_("question"), blank=True)
    result = models.CharField(_("result"), max_length=16, choices=PreReviewResult.choices, blank=True)
    # [{material, name, reason}]: every material to complete, as one list (一次性告知).
    findings = models.JSONField(_("findings"), default=list, blank=True)
    note = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Pre-reviews requested before the limit was introduced have none.
    due_at = models.DateTimeField(_("answer due at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("yellow alert at"), null=True, blank=True)
    alert = models.CharField(_("alert"), max_length=8, choices=PreReviewAlert.choices, default=PreReviewAlert.NONE)
    yellow_at = models.DateTimeField(_("yellow alert raised at"), null=True, blank=True)
    red_at = models.DateTimeField(_("red alert raised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pre-review (预审)")
        verbose_name_plural = _("pre-reviews (预审)")
        ordering = ["-id"]
        indexes = [models.Index(fields=["requested_at"], name="prereview_open_idx",
                                condition=models.Q(status="requested")),
                   # The sweep's claims: the waiting ones not yet yellow, and those not yet red.
                   models.Index(fields=["warn_at"], name="prereview_warn_idx",
                                condition=models.Q(status="requested", alert="none")),
                   models.Index(fields=["due_at"], name="prereview_due_idx",
                                condition=models.Q(status="requested") & ~models.Q(alert="red"))]
        constraints = [models.UniqueConstraint(fields=["application"], name="prereview_one_open",
                                               condition=models.Q(status="requested"))]

    @transition(field=status, source=[PreReviewStatus.REQUESTED], target=PreReviewStatus.ANSWERED)
    def answer(self):
        pass
