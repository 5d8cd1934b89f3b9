"""一个窗口收费: issue, pay, refund or cancel a payment notice. Called by the application
services (``approvals.fees``), which hold the application's row lock; the notice is locked
after it (portal/locking.py: applications, then the other case files)."""

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from payments.models import NoticeStatus, PaymentMethod, PaymentNotice
from payments.providers import payment_provider
from portal.audit.services import audit_log
from portal.errors import StateConflict, ValidationFailed
from portal.locking import locked
from portal.transitions import transition_run


def notice_issue(*, application, actor, now) -> PaymentNotice | None:
    """缴费通知书: at acceptance, for an item whose published fee is not zero; the amount and
    its legal basis are the catalogue's (收费标准公开), never typed in."""
    service = application.service
    if not service.fee_amount or service.fee_amount <= 0:
        return None
    notice = PaymentNotice.objects.create(
        application=application, number=f"{application.number}-JF", amount=service.fee_amount,
        fee_basis=service.fee_basis, refund_on_denial=service.fee_refund_on_denial, issued_at=now,
        issued_by=actor)
    audit_log(actor=actor, obj=notice, action="payment_notice", to_status=notice.status,
              note=f"{notice.amount} {service.fee_basis}", data={"amount": str(notice.amount)}, at=now)
    return notice


def _amount(value) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Enter the amount in yuan."), fields={"amount": [_("Not an amount.")]}) from None


def notice_pay(*, notice_id, method: str, amount, actor, provider_ref: str = "", now=None) -> PaymentNotice:
    """Record the payment of a notice: cash or card taken at the window by the clerk, or an
    online payment the provider confirmed. Exactly the published fee: any other amount is
    refused (no fee beyond the published one, 乱收费)."""
    now = now or timezone.now()
    if method not in PaymentMethod.values:
        raise ValidationFailed(_("Choose how the fee was paid."),
                               fields={"method": [_("One of: %(codes)s") % {"codes": ", ".join(PaymentMethod.values)}]})
    notice = locked(PaymentNotice, notice_id)
    paid = _amount(amount)
    if paid != notice.amount:
        raise ValidationFailed(
            _("Only the published fee of %(fee)s yuan can be charged (%(basis)s).")
            % {"fee": notice.amount, "basis": notice.fee_basis},
            code="fee_not_published", fields={"amount": [_("Must be %(fee)s.") % {"fee": notice.amount}]})
    before = transition_run(notice, "pay")
    notice.method, notice.paid_at, notice.recorded_by = method, now, actor
    notice.provider_ref = provider_ref or notice.provider_ref
    notice.receipt_number = f"{notice.application.number}-SJ"
    notice.save()
    audit_log(actor=actor, obj=notice, action="payment", from_status=before, to_status=notice.status,
              note=notice.get_method_display(), data={"amount": str(paid), "receipt": notice.receipt_number,
                                                      "provider_ref": notice.provider_ref}, at=now)
    return notice


def notice_online_order(*, notice_id, actor) -> tuple[PaymentNotice, str]:
    """Open an order with the payment provider: the page the payer is sent to."""
    notice = locked(PaymentNotice, notice_id)
    if notice.status != NoticeStatus.UNPAID:
        raise StateConflict(PaymentNotice.TRANSITION_REFUSED % {"status": notice.get_status_display()},
                            code="invalid_state")
    ref, url = payment_provider().start(notice_number=notice.number, amount=notice.amount)
    notice.provider_ref = ref
    notice.save(update_fields=["provider_ref"])
    audit_log(actor=actor, obj=notice, action="payment_order", note=ref, data={"provider_ref": ref})
    return notice, url


def notice_settle_on_denial(*, notice_id, actor, reason: str, now) -> PaymentNotice:
    """A denied (or withdrawn) application: an unpaid notice is cancelled; a paid fee is
    refunded where the item's legal basis says so (退费), through the provider if paid online."""
    notice = locked(PaymentNotice, notice_id)
    if notice.status == NoticeStatus.UNPAID:
        before = transition_run(notice, "cancel")
        notice.save()
        audit_log(actor=actor, obj=notice, action="payment_cancel", from_status=before, to_status=notice.status,
                  note=reason, at=now)
    elif notice.status == NoticeStatus.PAID and notice.refund_on_denial:
        before = transition_run(notice, "refund")
        refund_ref = ""
        if notice.method == PaymentMethod.ONLINE:
            refund_ref = payment_provider().refund(provider_ref=notice.provider_ref, amount=notice.amount)
        notice.refunded_at, notice.refund_reason = now, reason
        notice.save()
        audit_log(actor=actor, obj=notice, action="refund", from_status=before, to_status=notice.status,
                  note=reason, data={"amount": str(notice.amount), "refund_ref": refund_ref}, at=now)
    return notice


def fee_unpaid(application) -> PaymentNotice | None:
    """The application's notice if its fee is still owed (the certificate waits for it)."""
    return PaymentNotice.objects.filter(application=application, status=NoticeStatus.UNPAID).first()


def notice_by_provider_ref(provider_ref: str) -> PaymentNotice | None:
    if not provider_ref:
        return None
    return PaymentNotice.objects.filter(provider_ref=provider_ref).select_related("application").first()
