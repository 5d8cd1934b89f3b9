"""服务承诺制 / 政务公开: the public catalogue of service items.

Nothing outside the published catalogue can be applied for or charged; every item
publishes the "eight disclosures" (八公开) before it can be published.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.organisation.models import Department


class HandlingType(models.TextChoices):
    IMMEDIATE = "immediate", _("immediate (即办件)")
    PROMISED = "promised", _("promised (承诺件)")
    JOINT = "joint", _("joint (联办件)")


class CatalogueEntry(models.Model):
    """What every published entry of the catalogue (an item, an intermediary service) is known
    by: its code, its official Chinese name and an English one."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the Chinese name is the official one)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name


class ServiceItem(CatalogueEntry):
    """事项: one item of the catalogue."""

    department = models.ForeignKey(Department, verbose_name=_("responsible department"),
                                   on_delete=models.PROTECT, related_name="service_items")
    handling_type = models.CharField(_("handling type"), max_length=16, choices=HandlingType.choices)
    statutory_days = models.PositiveSmallIntegerField(_("statutory limit (working days)"))
    committed_days = models.PositiveSmallIntegerField(_("committed limit (working days)"))
    deemed_approval = models.BooleanField(
        _("deemed approval when overdue"), default=True,
        help_text=_("Safety-critical items exclude deemed approval: a red alert goes to the supervisor instead."),
    )
    fee_amount = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    fee_basis = models.CharField(_("fee and its legal basis"), max_length=500, blank=True)
    fee_refund_on_denial = models.BooleanField(
        _("fee refunded if the application is denied"), default=False,
        help_text=_("Where the fee's legal basis says a refused application is not charged (退费)."))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    window_authority = models.CharField(_("authority of the window"), max_length=500, blank=True)
    # Where and when to go, whom to ask or complain to, and what the applicant receives (八公开).
    permit_name = models.CharField(_("permit issued"), max_length=200, blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    enquiry_phone = models.CharField(_("enquiry telephone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint telephone"), max_length=40, blank=True)
    # 首席代表制: an item that must be inspected on site is never signed off at the counter.
    requires_site_inspection = models.BooleanField(
        _("requires a site inspection (现场踏勘)"), default=False,
        help_text=_("The chief representative cannot decide it at the window."),
    )
    published = models.BooleanField(_("published"), default=False)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("service item")
        verbose_name_plural = _("service items")

    def chief_signature_exclusion(self) -> str | None:
        """首席代表制 (seed 001 line 93): "除确需现场踏勘的行政审批办件和联办件、上报件等行政审批办件外,
        其它办件由首席代表签字后即生效". Why the chief representative's signature does not decide
        this item, as an error code, or None when it does. (上报件 are applications, not items:
        approvals checks them.)"""
        if self.handling_type == HandlingType.JOINT:
            return "joint_item"
        if self.requires_site_inspection:
            return "site_inspection_required"
        return None

    def disclosure_problems(self) -> dict[str, str]:
        """The disclosures (八公开) still missing; an item with any cannot be published."""
        problems: dict[str, str] = {}
        for field in ("name", "legal_basis", "procedure", "fee_basis", "window_authority"):
            if not str(getattr(self, field) or "").strip():
                problems[field] = str(_("This disclosure must not be empty."))
        if not self.committed_days:
            problems["committed_days"] = str(_("The committed limit must be at least 1 working day."))
        if not self.statutory_days:
            problems["statutory_days"] = str(_("The statutory limit must be at least 1 working day."))
        elif self.committed_days and self.committed_days > self.statutory_days:
            problems["committed_days"] = str(_("The committed limit cannot exceed the statutory limit."))
        if self.pk is None or not self.materials.exists():
            problems["materials"] = str(_("At least one required material must be listed."))
        return problems

    def clean(self) -> None:
        # The materials are edited inline and saved after this check; the admin
        # re-checks them once the inlines are saved (CatalogueAdmin.save_related).
        if self.published:
            problems = self.disclosure_problems()
            problems.pop("materials", None)
            if problems:
                raise ValidationError(problems)

    def stage_plan(self) -> list[tuple[Department, int]]:
        """Departments that review this item and their stage limits (并联审批)."""
        if "stages" in getattr(self, "_prefetched_objects_cache", {}):  # the cached catalogue's, in this order
            stages = self.stages.all()
        else:
            stages = self.stages.select_related("department").order_by("order", "id")
        plan = [(s.department, s.days) for s in stages]
        return plan or [(self.department, self.committed_days)]


class MaterialRequirement(models.Model):
    """申请材料: one material the applicant must provide."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="material_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class StageRequirement(models.Model):
    """并联审批: a department stage of a joint item, with its own limit."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="stages")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("stage limit (working days)"))
    lead = models.BooleanField(_("lead department (主办)"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "department"], name="stage_department_unique")]

    def clean(self) -> None:
        if self.item_id and self.days > self.item.committed_days:
            raise ValidationError({"days": _("A stage limit cannot exceed the item's committed limit.")})


class IntermediaryKind(models.TextChoices):
    TESTING = "testing", _("testing (检验检测)")
    SURVEYING = "surveying", _("surveying (测绘)")
    APPRAISAL = "appraisal", _("appraisal (评估鉴定)")


class IntermediaryService(CatalogueEntry):
    """中介服务 (seed 001 lines 369, 403: "与行政审批相关的检验、检测、评估、论证、代理等中介服务事项，也要纳入
    政务服务中心开展配套服务、限时办理、规范运作"): a testing, surveying or appraisal service an
    approval needs, published with its provider, its own time limit and its fee, so that its time
    is tracked apart and never hides inside a department's limit."""

    kind = models.CharField(_("kind"), max_length=16, choices=IntermediaryKind.choices)
    provider = models.CharField(_("intermediary organisation"), max_length=200)
    days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    fee_amount = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    fee_basis = models.CharField(_("fee and its basis"), max_length=500)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("approvals it serves"), blank=True,
                                   related_name="intermediary_services")
    published = models.BooleanField(_("published"), default=False)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("intermediary service")
        verbose_name_plural = _("intermediary services")
