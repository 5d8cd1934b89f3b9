"""责任追究制: accountability cases against officials (SPEC §4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

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


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("opened")
    INVESTIGATING = "investigating", _("investigating")
    DECIDED = "decided", _("decided")
    NOTIFIED = "notified", _("subject notified")
    APPEALED = "appealed", _("appealed")
    FINAL = "final", _("final")


class Sanction(models.TextChoices):
    """The ladder, from the mildest step up."""

    NO_FAULT = "no_fault", _("no fault")
    EFFICIENCY_WARNING = "efficiency_warning", _("efficiency warning (效能告诫)")
    ADMONISHMENT = "admonishment", _("admonishment talk (诫勉谈话)")
    CIRCULATED_CRITICISM = "circulated_criticism", _("circulated criticism (通报批评)")
    REMOVAL_FROM_POST = "removal_from_post", _("removal from post (调离岗位)")
    DISCIPLINARY_REFERRAL = "disciplinary_referral", _("referral for disciplinary sanction (移送处分)")


class AccountabilityCase(models.Model):
    """A case against one official in one role, from one source."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("subject"), on_delete=models.PROTECT,
                                related_name="accountability_cases")
    subject_role = models.CharField(_("subject role"), max_length=20, choices=SubjectRole.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="accountability_cases")
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=64)
    status = FSMField(_("status"), default=CaseStatus.OPENED, choices=CaseStatus.choices, protected=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    summary = models.TextField(_("summary"), blank=True)
    sanction = models.CharField(_("sanction"), max_length=24, choices=Sanction.choices, blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-opened_at"], name="case_subject_idx"),
            models.Index(fields=["status", "-opened_at"], name="case_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref", "subject", "subject_role"],
                                    name="case_once_per_source_subject"),
        ]

    def __str__(self) -> str:
        return self.number
