"""Inquiries under first-inquiry ownership (首问负责制, SPEC §2 and §4).

The state machine is declared here with django-fsm-2 and driven only from
``inquiries.services``, inside a transaction holding the row lock.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from portal.organisation.models import Department


class InquiryChannel(models.TextChoices):
    WALK_IN = "walk_in", _("walk-in at the hall")
    PHONE = "phone", _("telephone")
    ONLINE = "online", _("online")


class InquiryStatus(models.TextChoices):
    UNCLAIMED = "unclaimed", _("waiting for an official")
    OPEN = "open", _("open")
    REFERRED = "referred", _("referred to a department")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    CONVERTED = "converted", _("became an application")


class InquiryAlert(models.TextChoices):
    NONE = "none", _("none")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")


# The answer clock runs in these states; the sweep watches only them.
RUNNING = (InquiryStatus.UNCLAIMED, InquiryStatus.OPEN, InquiryStatus.REFERRED)
# The owner still has something to do: answer, chase the referral, or close.
OWNED_OPEN = (InquiryStatus.OPEN, InquiryStatus.REFERRED, InquiryStatus.ANSWERED)


class Inquiry(models.Model):
    """咨询: a citizen's question and the official who owns it until it is answered."""

    TRANSITION_REFUSED = _("This is not possible while the inquiry is %(status)s.")

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=InquiryChannel.choices)
    status = FSMField(_("status"), default=InquiryStatus.OPEN, choices=InquiryStatus.choices, protected=True)
    subject = models.CharField(pgettext_lazy("inquiry", "subject"), max_length=200)
    question = models.TextField(_("question"))
    department = models.ForeignKey(Department, verbose_name=_("department concerned"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="inquiries")

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("citizen account"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="inquiries")
    citizen_name = models.CharField(_("citizen's name"), max_length=200, blank=True)
    citizen_contact = models.CharField(_("citizen's contact"), max_length=200, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("asked at"))
    # 首问责任人: the official who received the question; never changes.
    first_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("first-inquiry officer"),
                                      null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Who holds it now: the first officer, or his B post while he is away.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_inquiries")
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    referred_to = models.ForeignKey(Department, verbose_name=_("referred to"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="referred_inquiries")
    referral_note = models.TextField(_("referral note"), blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # The official of the referred department who took it on (acknowledged it).
    referee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("referee"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="refereed_inquiries")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The answer clock (working days): the owner's own limit, or the referral limit.
    clock = models.PositiveSmallIntegerField(default=1, help_text=_("Counts the clocks: a referral starts a new one."))
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    due_at = models.DateTimeField(_("answer due at"))
    warn_at = models.DateTimeField(_("yellow alert at"))
    due_provisional = models.BooleanField(default=False)
    alert = models.CharField(_("alert"), max_length=8, choices=InquiryAlert.choices, default=InquiryAlert.NONE)

    # Converted into an application: the link records the first-inquiry officer.
    application = models.OneToOneField("approvals.Application", verbose_name=_("application"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="inquiry")
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="inquiry_due_idx"),
            models.Index(fields=["status", "warn_at"], name="inquiry_warn_idx"),
            models.Index(fields=["owner", "status"], name="inquiry_owner_idx"),
            models.Index(fields=["referred_to", "status"], name="inquiry_referred_idx"),
            models.Index(fields=["citizen", "-id"], name="inquiry_citizen_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @transition(field=status, source=[InquiryStatus.UNCLAIMED], target=InquiryStatus.OPEN)
    def claim(self):
        pass

    @transition(field=status, source=[InquiryStatus.OPEN, InquiryStatus.REFERRED], target=InquiryStatus.REFERRED)
    def refer(self):
        pass

    @transition(field=status, source=[InquiryStatus.OPEN, InquiryStatus.REFERRED], target=InquiryStatus.ANSWERED)
    def give_answer(self):
        pass

    @transition(field=status, source=[InquiryStatus.ANSWERED], target=InquiryStatus.CLOSED)
    def close(self):
        pass

    @transition(field=status, source=list(OWNED_OPEN), target=InquiryStatus.CONVERTED)
    def convert(self):
        pass


class InquiryAlertRecord(models.Model):
    """电子监察 for inquiries: an alert kept as a record and marked on the owner,
    raised once per clock and level."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="alerts")
    clock = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=8, choices=[(InquiryAlert.YELLOW, _("yellow")),
                                                    (InquiryAlert.RED, _("red"))])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="inquiry_alerts")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text=_("The referred department, when the referral clock ran out."))
    raised_at = models.DateTimeField()
    due_at = models.DateTimeField()

    class Meta:
        verbose_name = _("inquiry alert")
        verbose_name_plural = _("inquiry alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "clock", "level"], name="inquiry_alert_once_per_clock"),
        ]
        indexes = [models.Index(fields=["owner", "-raised_at"], name="inquiry_alert_owner_idx")]
