"""评议 (组织群众评风和听证质询; 监测点企业): a questionnaire on one department run for a
period, answered online, its results aggregated and published, and the department's
principal (主要负责人) answering them in writing."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.organisation.models import Department


class RespondentKind(models.TextChoices):
    PUBLIC = "public", _("member of the public")
    MONITORING_POINT = "monitoring_point", _("monitoring-point enterprise")
    REPRESENTATIVE = "representative", _("representative")


class DesignatedRespondent(models.Model):
    """监测点企业 or a representative (两代表一委员, 作风建设监督员) designated by the center:
    their answers are counted apart from the public's."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="designation")
    kind = models.CharField(_("kind"), max_length=20, choices=RespondentKind.choices[1:])
    organisation = models.CharField(_("enterprise or office"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    designated_at = models.DateTimeField(_("designated at"))

    class Meta:
        verbose_name = _("designated respondent")
        verbose_name_plural = _("designated respondents")


class CampaignStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PUBLISHED = "published", _("results published")


class Campaign(models.Model):
    """One department's appraisal, answered from ``opens_at`` until ``closes_at``."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+")
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))
    status = FSMField(_("status"), default=CampaignStatus.RUNNING, choices=CampaignStatus.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    # 书面答复: the department's principal answers the published results in writing.
    reply = models.TextField(_("written reply of the principal"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal campaign")
        verbose_name_plural = _("appraisal campaigns")
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=[CampaignStatus.RUNNING], target=CampaignStatus.PUBLISHED)
    def publish(self):
        pass


class Question(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["order", "id"]


class Response(models.Model):
    """One respondent's answers: one per account and campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("respondent"), max_length=20, choices=RespondentKind.choices)
    submitted_at = models.DateTimeField()
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "respondent"], name="one_response_per_respondent")]


class Answer(models.Model):
    """A score from 1 (very dissatisfied) to 5 (very satisfied)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]
