"""三级政务服务体系 (seed 001 lines 403, 409; 五制 上报事项负责代理制, line 103): the county
center, township convenience-service centers (便民服务中心) and village proxy points (代办点)
form a tree (``ServiceCenter.parent``); each publishes its own list of items; a lower center
takes in an item it cannot decide and forwards it up (上报), tracked by a named official of the
center that took it in, who hands the result out at the same window.

Applications are referred to by dotted name: this app imports nothing above it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CenterLevel(models.TextChoices):
    COUNTY = "county", _("county service center (县级政务服务中心)")
    TOWNSHIP = "township", _("township convenience-service center (乡镇便民服务中心)")
    VILLAGE = "village", _("village proxy point (村社便民服务代办点)")


class CenterTier(models.Model):
    """The level of a service center in the three-level network."""

    center = models.OneToOneField("organisation.ServiceCenter", on_delete=models.CASCADE, related_name="tier")
    level = models.CharField(_("level"), max_length=16, choices=CenterLevel.choices)

    class Meta:
        verbose_name = _("center level")
        verbose_name_plural = _("center levels")

    def __str__(self) -> str:
        return f"{self.center} ({self.get_level_display()})"


class ItemPublication(models.Model):
    """An item published at a lower center: taken in there and, when ``referred_to`` is set,
    forwarded to that competent center (上报件)."""

    center = models.ForeignKey("organisation.ServiceCenter", on_delete=models.CASCADE, related_name="publications")
    item = models.ForeignKey("catalogue.ServiceItem", on_delete=models.CASCADE, related_name="publications")
    referred_to = models.ForeignKey("organisation.ServiceCenter", verbose_name=_("forwarded to (上报)"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("item published at a center")
        verbose_name_plural = _("items published at centers")
        constraints = [models.UniqueConstraint(fields=["center", "item"], name="publication_unique")]


class Referral(models.Model):
    """上报事项负责代理: an application forwarded to the competent center, tracked by a named
    official (负责代理人) of the center that took it in, on its own clock."""

    application = models.OneToOneField("approvals.Application", on_delete=models.CASCADE, related_name="referral")
    from_center = models.ForeignKey("organisation.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    to_center = models.ForeignKey("organisation.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official in charge (负责代理人)"),
                                 on_delete=models.PROTECT, related_name="referrals")
    forwarded_at = models.DateTimeField(_("forwarded at"))
    days = models.PositiveSmallIntegerField(_("limit (working days)"))
    due_at = models.DateTimeField(_("result due at"))
    # 电子监察: when its clock passed without a result, the official in charge and the
    # supervisors were alerted (once).
    late_alerted_at = models.DateTimeField(_("alerted as late at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referred-up application")
        verbose_name_plural = _("referred-up applications")
        ordering = ["due_at", "id"]
        indexes = [
            # Referrals whose lateness is not yet alerted, in due order (the sweep walks it).
            models.Index(fields=["due_at"], name="referral_unalerted_due_idx",
                         condition=models.Q(late_alerted_at__isnull=True)),
        ]
