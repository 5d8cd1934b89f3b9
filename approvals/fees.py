"""一个窗口收费 for applications (seed 001 line 29): the payment notice at acceptance, payment at
the window or online, the receipt, the refund on denial, and no certificate handed over before
the fee is paid. The notices themselves live in ``payments``; this module ties them to the
application (its row lock first, then the notice) and issues the formal documents."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import documents, permissions
from approvals.locks import application_lock
from approvals.models import Application, DocumentKind
from payments import services as payments
from payments.models import PaymentMethod, PaymentNotice
from payments.providers import CallbackRejected, payment_provider
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed

WINDOW_METHODS = (PaymentMethod.CASH, PaymentMethod.CARD)


def payment_notice_on_acceptance(*, application: Application, actor, now) -> PaymentNotice | None:
    """缴费通知书 at acceptance for a fee-bearing item (caller holds the application's lock)."""
    notice = payments.notice_issue(application=application, actor=actor, now=now)
    if notice is not None:
        documents.issue_payment_notice(application=application, notice=notice, actor=actor)
    return notice


def payment_on_denial(*, application: Application, actor, now, reason: str) -> None:
    """A denied or withdrawn application owes nothing more; a paid fee is refunded where the
    law says so (caller holds the application's lock)."""
    notice = PaymentNotice.objects.filter(application=application).first()
    if notice is not None:
        payments.notice_settle_on_denial(notice_id=notice.pk, actor=actor, reason=reason, now=now)


def require_fee_paid(application: Application) -> None:
    """出件: a fee-bearing item's certificate is never handed over before its fee is paid."""
    notice = payments.fee_unpaid(application)
    if notice is not None:
        raise StateConflict(_("The fee of %(fee)s yuan (payment notice %(number)s) has not been paid; the "
                              "certificate is handed over once it is.") % {"fee": notice.amount, "number": notice.number},
                            code="fee_unpaid")


def require_fee_paid_for_download(user, document) -> None:
    """The e-certificate is handed over by download: not to the applicant before the fee is
    paid (staff may read it)."""
    if document.kind == DocumentKind.CERTIFICATE and permissions.is_applicant(user, document.application):
        require_fee_paid(document.application)


def _notice_of(application: Application) -> PaymentNotice:
    notice = PaymentNotice.objects.filter(application=application).first()
    if notice is None:
        raise NotFound(_("This application has no fee to pay."), code="no_fee")
    return notice


def application_payment_record(*, actor, application_id, method: str, amount) -> PaymentNotice:
    """The clerk takes the fee at the window (cash or card) and gives the receipt."""
    permissions.require_clerk(actor)
    if method not in WINDOW_METHODS:
        raise ValidationFailed(_("At the window the fee is paid in cash or by card."),
                               fields={"method": [_("One of: %(codes)s") % {"codes": "cash, card"}]})
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        notice = payments.notice_pay(notice_id=_notice_of(application).pk, method=method, amount=amount, actor=actor,
                                     now=now)
        documents.issue_payment_receipt(application=application, notice=notice, actor=actor)
    return notice


def application_payment_online(*, actor, application_id) -> tuple[PaymentNotice, str]:
    """The applicant (or the clerk for him) opens an online payment: the provider's page."""
    with transaction.atomic():
        application = application_lock(application_id)
        permissions.require_applicant_or_clerk(actor, application)
        return payments.notice_online_order(notice_id=_notice_of(application).pk, actor=actor)


def payment_provider_callback(*, body: dict) -> PaymentNotice:
    """The provider reports a payment: verified by its signature, matched to the order, for
    exactly the published fee; a repeated report changes nothing."""
    try:
        confirmation = payment_provider().verify(body)
    except CallbackRejected:
        raise PermissionDenied(_("The payment notification could not be verified."), code="bad_signature") from None
    found = payments.notice_by_provider_ref(confirmation.provider_ref)
    if found is None:
        raise NotFound(code="unknown_order")
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(found.application_id)
        notice = PaymentNotice.objects.get(pk=found.pk)
        if not confirmation.paid or notice.paid_at is not None:
            return notice
        notice = payments.notice_pay(notice_id=notice.pk, method=PaymentMethod.ONLINE, amount=confirmation.amount,
                                     actor=None, provider_ref=confirmation.provider_ref, now=now)
        documents.issue_payment_receipt(application=application, notice=notice, actor=None)
    return notice


def notice_for_provider_ref(ref: str) -> PaymentNotice:
    notice = payments.notice_by_provider_ref(ref)
    if notice is None:
        raise NotFound(code="unknown_order")
    return notice


def payment_output(application: Application) -> dict | None:
    """The application's payment notice as the API shows it, or None for a free item."""
    notice = PaymentNotice.objects.filter(application=application).first()
    if notice is None:
        return None
    return {
        "number": notice.number, "amount": str(notice.amount), "basis": notice.fee_basis,
        "status": notice.status, "method": notice.method or None,
        "paid_at": timezone.localtime(notice.paid_at).isoformat() if notice.paid_at else None,
        "receipt_number": notice.receipt_number or None, "refund_on_denial": notice.refund_on_denial,
        "refunded_at": timezone.localtime(notice.refunded_at).isoformat() if notice.refunded_at else None,
    }
