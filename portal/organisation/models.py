"""Organisation of the hall: centers, departments, windows and the staff who work them."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ServiceCenter(models.Model):
    """政务服务中心. Centers form the county/city/province network through ``parent``."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent center"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the Chinese name is the official one)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Department(models.Model):
    """进驻部门: a department with staff at the center."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    center = models.ForeignKey(ServiceCenter, verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="departments")
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="headed_departments",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the Chinese name is the official one)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Window(models.Model):
    """服务窗口: a numbered counter in the hall."""

    center = models.ForeignKey(ServiceCenter, verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="windows")
    number = models.CharField(_("window number"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="windows")

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="window_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class CommitmentKind(models.TextChoices):
    QUALITY = "quality", _("service quality (服务质量)")
    ATTITUDE = "attitude", _("service attitude (服务态度)")


class ServiceCommitment(models.Model):
    """服务承诺制 (seed 003: "以承诺制来明确服务要求"): a published promise on the quality of the
    service or the attitude of the staff, made for one catalogue item or for one window post
    (窗口岗位), and published beside the time limits; a complaint may name the one it says
    was broken (complaints.Complaint.commitment)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CommitmentKind.choices)
    text = models.CharField(_("commitment"), max_length=500)
    text_en = models.CharField(_("commitment in English"), max_length=500, blank=True)
    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("service item"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="commitments")
    window = models.ForeignKey(Window, verbose_name=_("window post"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="commitments")
    order = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("service commitment")
        verbose_name_plural = _("service commitments")
        ordering = ["order", "id"]
        constraints = [
            # Made for exactly one item or one post.
            models.CheckConstraint(condition=models.Q(item__isnull=False, window__isnull=True)
                                   | models.Q(item__isnull=True, window__isnull=False),
                                   name="commitment_item_or_post"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def display_text(self) -> str:
        """The promise in the reader's language (the Chinese text is the official one)."""
        return self.text_en if get_language() == "en" and self.text_en else self.text


class StaffProfile(models.Model):
    """挂牌上岗: every official wears a badge number shown to citizens."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="staff_profile")
    badge = models.CharField(_("badge number"), max_length=16, unique=True)
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="staff")
    window = models.ForeignKey(Window, verbose_name=_("window"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="staff")
    title = models.CharField(_("post"), max_length=100, blank=True)
    on_duty = models.BooleanField(_("on duty"), default=True)
    backup = models.ForeignKey(
        "self", verbose_name=_("B post (backup)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="backup_for",
    )
    # AB岗工作制: while A is absent, A's open work and new assignments go to the B post.
    absent = models.BooleanField(_("absent (B post covers)"), default=False)
    absent_since = models.DateTimeField(_("absent since"), null=True, blank=True)
    absence_note = models.CharField(_("reason for absence"), max_length=200, blank=True)
    # 首席代表制: departments whose immediate items this clerk may decide at the counter.
    chief_representative_for = models.ManyToManyField(
        Department, verbose_name=_("chief representative for"), blank=True,
        related_name="chief_representatives",
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.badge} {self.user.get_full_name() or self.user.get_username()}"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class WorkKind(models.TextChoices):
    """The kinds of work a post holds, which A/B routing hands over (AB岗工作制)."""

    STAGE = "stage", _("review stage")
    INTAKE = "intake", _("intake of an application")
    INQUIRY = "inquiry", _("inquiry owned")
    REFERRAL = "referral", _("referred inquiry taken")


class RoutingCause(models.TextChoices):
    ABSENCE = "absence", _("open when A was marked absent")
    NEW_ASSIGNMENT = "new_assignment", _("assigned while A was away")


class RoutingOutcome(models.TextChoices):
    RETURNED = "returned", _("returned to A")
    KEPT = "kept", _("finished or reassigned meanwhile; stays where it is")


class RoutedWork(models.Model):
    """AB岗工作制: one item of A's work handed to the B post while A is away.

    The table is what makes the return exact: when A comes back, precisely the rows
    still open here go back to A, and nothing B took on for himself."""

    kind = models.CharField(_("kind"), max_length=16, choices=WorkKind.choices)
    object_id = models.BigIntegerField()
    absentee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("A post (absent)"),
                                 on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("B post (holder)"),
                               on_delete=models.PROTECT, related_name="+")
    cause = models.CharField(_("cause"), max_length=16, choices=RoutingCause.choices)
    routed_at = models.DateTimeField(_("routed at"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=RoutingOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("routed work")
        verbose_name_plural = _("routed work")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["absentee", "returned_at"], name="routed_absentee_idx"),
            models.Index(fields=["holder", "returned_at"], name="routed_holder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.absentee_id}→{self.holder_id}"


def official_label(user) -> str:
    """挂牌上岗: how a person reads an official — his name and badge, never his user name."""
    profile = getattr(user, "staff_profile", None)
    name = user.get_full_name() or (profile and profile.badge) or _("official")
    return f"{name} · {_('Badge')} {profile.badge}" if profile else str(name)
