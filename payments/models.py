"""一个窗口收费 (seed 001 line 29; 五公开 收费标准公开, line 103): the payment notice of a
fee-bearing application, its payment at the window or online, its receipt and its refund.

The amount is always the item's published fee, copied at issue: nothing else can be charged.
The application is referred to by its dotted name, so this app imports nothing above it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class NoticeStatus(models.TextChoices):
    UNPAID = "unpaid", _("unpaid")
    PAID = "paid", _("paid")
    REFUNDED = "refunded", _("refunded")
    CANCELLED = "cancelled", _("cancelled")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash at the window")
    CARD = "card", _("bank card at the window")
    ONLINE = "online", _("online")


class PaymentNotice(models.Model):
    """缴费通知书: the published fee and its legal basis, issued at acceptance."""

    TRANSITION_REFUSED = _("The payment notice is %(status)s; this is no longer possible.")

    application = models.OneToOneField("approvals.Application", on_delete=models.CASCADE,
                                       related_name="payment_notice")
    number = models.CharField(_("number"), max_length=40, unique=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    fee_basis = models.CharField(_("fee and its legal basis"), max_length=500)
    refund_on_denial = models.BooleanField(_("refunded if the application is denied"), default=False)
    status = FSMField(_("status"), default=NoticeStatus.UNPAID, choices=NoticeStatus.choices, protected=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    method = models.CharField(_("paid by"), max_length=16, choices=PaymentMethod.choices, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    provider_ref = models.CharField(_("payment provider reference"), max_length=64, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refund_reason = models.CharField(_("reason for the refund"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment notice")
        verbose_name_plural = _("payment notices")
        ordering = ["-id"]
        indexes = [models.Index(fields=["provider_ref"], name="payment_provider_ref_idx",
                                condition=~models.Q(provider_ref=""))]

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=[NoticeStatus.UNPAID], target=NoticeStatus.PAID)
    def pay(self):
        pass

    @transition(field=status, source=[NoticeStatus.PAID], target=NoticeStatus.REFUNDED)
    def refund(self):
        pass

    @transition(field=status, source=[NoticeStatus.UNPAID], target=NoticeStatus.CANCELLED)
    def cancel(self):
        pass
