"""Formal documents of an application: what is frozen at issue, and how it is printed.

The content is stored as data (IssuedDocument.content) when the document is issued;
the PDF and the public verification page are rendered from that data in the
reader's language, so both always show what was issued.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import get_language, gettext_noop

from approvals import green_channel
from approvals.models import Application, CorrectionNotice, DocumentKind, IssuedDocument
from payments.models import PaymentMethod
from portal.documents import FormalDocument, render_pdf
from django.utils.timezone import localdate as local_date
from datetime import date

# The receipt is not a decision: it names the remedies for a missed date, not an appeal.
RECEIPT_REDRESS = gettext_noop(
    "This receipt confirms that your application was accepted; it is not a decision on it. If no decision is "
    "made by the date above, you may complain to the center's efficiency complaints office. If you consider "
    "that the handling of your application infringes your lawful rights, you may apply for administrative "
    "reconsideration within 60 days or bring an administrative lawsuit before a people's court within 6 months."
)
REDRESS = gettext_noop(
    "If you disagree, you may apply for administrative reconsideration within 60 days of receiving this "
    "document, or bring an administrative lawsuit before a people's court within 6 months."
)


PAYMENT_METHODS = dict(PaymentMethod.choices)


def _issue(*, application: Application, kind: str, number: str, actor, content: dict) -> IssuedDocument:
    document = _build(application=application, kind=kind, number=number, actor=actor, content=content)
    document.save()
    return document


def _build(*, application: Application, kind: str, number: str, actor, content: dict,
           issued_at=None, official: str | None = None) -> IssuedDocument:
    service = application.service
    return IssuedDocument(
        application=application, kind=kind, number=number, issued_at=issued_at or timezone.now(), issued_by=actor,
        content={**document_header(application_number=application.number, service_code=service.code,
                                   service_name=service.name, applicant_name=application.applicant_name,
                                   issuer=service.department.center.name,
                                   official=_official(actor) if official is None else official),
                 **content},
    )


def document_header(*, application_number, service_code, service_name, applicant_name, issuer, official) -> dict:
    """What every issued document states first (the sweep builds it from plain rows)."""
    return {"application_number": application_number, "service_code": service_code, "service_name": service_name,
            "applicant_name": applicant_name, "issuer": issuer, "official": official}


def certificate_body(*, outcome, decided_on, accepted_on, onsite, stages, lapsed_limit=None) -> dict:
    """准予许可: the outcome, the lead department (主办部门) that signs it, and each
    department's part (协办部门's opinions assembled under the lead's); ``stages`` as
    (department name, status, opinion, lead). Dates are ISO local dates. A deemed approval
    also names the limit that passed (``lapsed_limit``)."""
    lead = lead_index([st[3] for st in stages])
    body = {"outcome": outcome, "decided_on": decided_on, "accepted_on": accepted_on, "onsite": onsite,
            "lead_department": stages[lead][0] if stages else "",
            "stages": [{"department": d, "status": st, "opinion": o, "lead": i == lead}
                       for i, (d, st, o, _lead) in enumerate(stages)]}
    if lapsed_limit is not None:
        body["lapsed_limit"] = lapsed_limit
    return body


def lead_index(leads: list[bool]) -> int:
    """明确主办部门和协办部门 (seed 002): which of an application's stages (in id order) is the
    lead department's — the stage marked lead, else the first (a single-department item's
    only stage)."""
    return next((i for i, lead in enumerate(leads) if lead), 0)


def department_roles(leads: list[bool]) -> list[str]:
    """明确主办部门和协办部门 (seed 002): each stage's department as a page or a document names it —
    主办 (lead) or 协办 (co-department) on a joint item; a single-department item's department is
    neither, so it gets no word (""). ``leads`` in id order, as ``lead_index`` reads them."""
    if len(leads) < 2:
        return [""] * len(leads)
    lead = lead_index(leads)
    return [_("lead") if i == lead else _("co-department") for i in range(len(leads))]


def joint_signatory(stages: list, outcome: str):
    """Who signs the joint decision (主办部门负责): the lead department's stage, and the
    official who decided it when the outcome is an approval by people; nobody when the law
    approved it (超期默许) — never simply whoever decided last. ``stages`` in id order."""
    if not stages:
        return None, None
    lead = stages[lead_index([s.lead for s in stages])]
    signed = outcome == "approved" and lead.status == "approved"
    return lead, (lead.decided_by if signed else None)


def lapsed_limit(*, lapsed_stage_days: list[int], extended_days, committed_days: int, statutory_days: int,
                 green_channel_days: int | None = None) -> dict | None:
    """Which limit passed when a deemed approval fired (超期默许): the lapse fires at the running
    stage limit, which is the committed limit (承诺时限, or a stage's share of it) plus any
    extension, not the statutory limit (法定时限) unless the two are the same length. An
    application of a key project on the green channel (绿色通道) ran on the project's shorter
    limit, fixed at acceptance (``green_channel_days``): that is the committed limit that
    passed, and the item's own (``item_committed_days``) is named beside it."""
    if not lapsed_stage_days:
        return None
    days = max(lapsed_stage_days) + (extended_days or 0)
    return {"kind": "statutory" if days >= statutory_days else "committed", "days": days,
            "committed_days": green_channel_days or committed_days, "statutory_days": statutory_days,
            "green_channel": green_channel_days is not None, "item_committed_days": committed_days}


def _official(actor) -> str:
    profile = getattr(actor, "staff_profile", None) if actor is not None else None
    if profile is None:
        return ""
    return f"{profile.display_name} ({profile.badge})"


def issue_receipt(*, application: Application, actor) -> IssuedDocument:
    """受理通知书: states the deadline, the redress and, where the item allows it,
    that silence past the deadline means approval."""
    due_date = local_date(application.due_at)
    return _issue(
        application=application, kind=DocumentKind.RECEIPT, number=f"{application.number}-SL", actor=actor,
        content={
            "accepted_on": local_date(application.accepted_at).isoformat(),
            "deemed_accepted": application.deemed_accepted,
            "due_date": due_date.isoformat(),
            "committed_days": green_channel.committed_limit(application),
            "green_channel": application.green_channel_days is not None,
            "statutory_days": application.service.statutory_days,
            "deemed_approval": application.service.deemed_approval,
            "due_provisional": application.due_provisional,
            "tracking_code": application.tracking_code,
        },
    )


def issue_payment_notice(*, application: Application, notice, actor) -> IssuedDocument:
    """缴费通知书: the item's published fee and its legal basis (一个窗口收费)."""
    return _issue(application=application, kind=DocumentKind.PAYMENT_NOTICE, number=notice.number, actor=actor,
                  content={"amount": str(notice.amount), "fee_basis": notice.fee_basis,
                           "refund_on_denial": notice.refund_on_denial})


def issue_payment_receipt(*, application: Application, notice, actor) -> IssuedDocument:
    """收费票据: what was paid, how and when."""
    return _issue(application=application, kind=DocumentKind.PAYMENT_RECEIPT, number=notice.receipt_number,
                  actor=actor, content={"amount": str(notice.amount), "fee_basis": notice.fee_basis,
                                        "method": notice.method, "notice_number": notice.number,
                                        "paid_on": local_date(notice.paid_at).isoformat()})


def issue_correction_notice(*, notice: CorrectionNotice, actor) -> IssuedDocument:
    """一次性告知书: every missing or defective material in one notice."""
    return _issue(
        application=notice.application, kind=DocumentKind.CORRECTION_NOTICE, number=notice.number, actor=actor,
        content={
            "sequence": notice.sequence,
            "items": [{"material": i.requirement.code, "name": i.requirement.name, "reason": i.reason}
                      for i in notice.items.select_related("requirement")],
            "note": notice.note,
        },
    )


def issue_refusal(*, application: Application, actor) -> IssuedDocument:
    """不予受理决定书: reason, legal basis, redress."""
    return _issue(
        application=application, kind=DocumentKind.REFUSAL, number=f"{application.number}-BY", actor=actor,
        content={"reason": application.refusal_reason, "legal_basis": application.refusal_legal_basis},
    )


def issue_certificate(*, application: Application, actor) -> IssuedDocument:
    """准予许可 certificate; a deemed approval says it was granted by operation of law
    (the sweep issues those in bulk, ``approvals.lapse``)."""
    stages = list(application.stages.select_related("department", "decided_by__staff_profile").order_by("id"))
    _lead, signatory = joint_signatory(stages, application.outcome)
    service = application.service
    limit = lapsed_limit(lapsed_stage_days=[s.days for s in stages if s.status == "deemed_approved"],
                         extended_days=application.extended_days, committed_days=service.committed_days,
                         statutory_days=service.statutory_days, green_channel_days=application.green_channel_days)
    document = _build(
        application=application, kind=DocumentKind.CERTIFICATE, number=application.certificate_number, actor=actor,
        issued_at=application.decided_at, official=_official(signatory), content=certificate_body(
            outcome=application.outcome, decided_on=local_date(application.decided_at).isoformat(),
            accepted_on=local_date(application.accepted_at).isoformat(), onsite=application.onsite,
            stages=[(s.department.name, s.status, s.opinion, s.lead) for s in stages], lapsed_limit=limit),
    )
    document.save()
    return document


def issue_decision(*, application: Application, stages, actor) -> IssuedDocument:
    """不予许可决定书: the denial with its reasons and the redress, under the lead department
    (主办部门) of the joint item; the official who denied signs it (a denial by any department
    decides at once: 并联审批)."""
    stages = list(stages)
    return _issue(
        application=application, kind=DocumentKind.DECISION, number=f"{application.number}-BYXK", actor=actor,
        content={
            "decided_on": local_date(application.decided_at).isoformat(),
            "lead_department": stages[lead_index([s.lead for s in stages])].department.name if stages else "",
            "joint": len(stages) > 1,
            "reasons": [{"department": s.department.name, "reason": s.opinion,
                         "legal_basis": s.legal_basis or application.service.legal_basis}
                        for s in stages if s.status == "denied"],
        },
    )


def issue_suspension(*, application: Application, actor) -> IssuedDocument:
    """Written notice of excluded time (art. 45): what for and how long."""
    return _issue(
        application=application, kind=DocumentKind.SUSPENSION,
        number=f"{application.number}-ZT{application.documents.filter(kind=DocumentKind.SUSPENSION).count() + 1}",
        actor=actor,
        content={"reason": application.get_suspension_reason_display(), "note": application.suspension_note,
                 "expected_days": application.suspension_expected_days,
                 "remaining_days": application.remaining_days_frozen},
    )


def issue_extension(*, application: Application, actor) -> IssuedDocument:
    """延期通知书 (art. 42): the new date and the reason."""
    return _issue(
        application=application, kind=DocumentKind.EXTENSION, number=f"{application.number}-YQ", actor=actor,
        content={"working_days": application.extended_days, "reason": application.extension_reason,
                 "due_date": local_date(application.due_at).isoformat()},
    )


def _denial_grounds(reason: dict) -> str:
    """One department's denial: its reason, then the law it rests on (older documents have none)."""
    if not reason.get("legal_basis"):
        return reason["reason"]
    return _("%(reason)s Legal basis: %(basis)s") % {"reason": reason["reason"], "basis": reason["legal_basis"]}


def _lapse_paragraph(limit: dict | None) -> str:
    """Say which limit passed: the committed one (承诺时限), a key project's shorter green-channel
    limit (绿色通道), or the statutory one (法定时限)."""
    if limit is None:  # certificates issued before the limit was recorded
        return _("No decision was made within the time limit. Under the rule that silence past the limit means "
                 "approval, this application is approved by operation of law and this certificate has the same "
                 "effect as an approval.")
    if limit["kind"] == "statutory":
        return _("No decision was made within the statutory time limit (法定时限) of %(days)d working days. Under "
                 "the rule that silence past the limit means approval, this application is approved by operation "
                 "of law and this certificate has the same effect as an approval.") % {"days": limit["days"]}
    if limit.get("green_channel"):
        return _("No decision was made within the green-channel time limit (绿色通道) of the key project, %(days)d "
                 "working days, which is shorter than the item's committed limit (承诺时限) of %(committed)d working "
                 "days and its statutory limit (法定时限) of %(statutory)d working days. Under the rule that silence "
                 "past the committed limit means approval, this application is approved by operation of law and "
                 "this certificate has the same effect as an approval.") % {
            "days": limit["days"], "committed": limit["item_committed_days"], "statutory": limit["statutory_days"]}
    return _("No decision was made within the time limit the center committed to (承诺时限), %(days)d working "
             "days, which is shorter than the statutory limit (法定时限) of %(statutory)d working days. Under the "
             "rule that silence past the committed limit means approval, this application is approved by "
             "operation of law and this certificate has the same effect as an approval.") % {
        "days": limit["days"], "statutory": limit["statutory_days"]}


def _stage_label(stage: dict, role: str) -> str:
    """A department's line on a joint certificate says whether it led (主办) or assisted (协办)."""
    return f"{stage['department']} ({role})" if role else stage["department"]


def _lead_field(department: str, joint: bool) -> tuple[str, str]:
    """The department that signs: 主办部门 of a joint item, simply the department of a single one."""
    return (_("Lead department (主办部门)") if joint else _("Department"), department)


def _date(iso: str) -> str:
    return formats.date_format(date.fromisoformat(iso), "DATE_FORMAT")


def formal_document(document: IssuedDocument, *, base_url: str | None = None) -> FormalDocument:
    """The printable form of an issued document, in the active language; its QR code points
    at ``base_url`` (see portal.web.site.public_base_url), by default the configured SITE_URL."""
    c = document.content
    fields = [
        (_("Application number"), c["application_number"]),
        (_("Service item"), f'{c["service_code"]} {c["service_name"]}'),
        (_("Applicant"), c["applicant_name"]),
    ]
    paragraphs: list[str] = []
    closing: list[str] = []
    watermark = ""
    items: list[tuple[str, str]] = []
    if document.kind == DocumentKind.RECEIPT:
        title = _("Acceptance receipt")
        fields += [
            (_("Accepted on"), _date(c["accepted_on"])),
            (_("Tracking code"), c["tracking_code"]),
            (_("Committed limit"), _("%(days)d working days") % {"days": c["committed_days"]}),
            (_("Statutory limit"), _("%(days)d working days") % {"days": c["statutory_days"]}),
            (_("Decision due by"), _date(c["due_date"])),
        ]
        if c.get("green_channel"):
            paragraphs.append(_("Key project on the green channel (绿色通道): every department decides within the "
                                "project's shorter committed limit of %(days)d working days.")
                              % {"days": c["committed_days"]})
        if c.get("deemed_accepted"):
            paragraphs.append(_("No answer was given within 5 working days of receiving your materials, so your "
                                "application is accepted by operation of law as of the day they were received "
                                "(Administrative Licensing Law art. 32)."))
        paragraphs.append(_("Your application has been accepted. A decision will be made by the end of %(date)s. "
                            "Follow its progress online with the number and tracking code above.")
                          % {"date": _date(c["due_date"])})
        if c.get("deemed_approval"):
            paragraphs.append(_("If no decision is made by %(date)s, the application is approved by operation of "
                                "law and a certificate is issued to you.") % {"date": _date(c["due_date"])})
        if c.get("due_provisional"):
            paragraphs.append(_("The due date is provisional: the official holiday schedule for that year has not "
                                "been published yet; you will be told if it changes."))
        paragraphs.append(_(RECEIPT_REDRESS))
    elif document.kind == DocumentKind.CORRECTION_NOTICE:
        title = _("One-time correction notice")
        paragraphs.append(_("The following materials are missing or need correction. This notice lists every "
                            "problem at once; nothing else will be asked of you for this submission."))
        items = [(i["name"], i["reason"]) for i in c["items"]]
        if c.get("note"):
            closing.append(c["note"])
        closing.append(_("Please provide the materials above and resubmit your application."))
    elif document.kind == DocumentKind.REFUSAL:
        title = _("Decision not to accept")
        fields += [(_("Reason"), c["reason"]), (_("Legal basis"), c["legal_basis"])]
        paragraphs.append(_("Your application is not accepted for the reason and on the legal basis above."))
        paragraphs.append(_(REDRESS))
    elif document.kind == DocumentKind.CERTIFICATE:
        deemed = c["outcome"] == "deemed_approved"
        title = _("Certificate of approval by operation of law") if deemed else _("Certificate of approval")
        fields += [(_("Certificate number"), document.number), (_("Accepted on"), _date(c["accepted_on"])),
                   (_("Decided on"), _date(c["decided_on"]))]
        if deemed:
            watermark = _("Approved by operation of law")
            paragraphs.append(_lapse_paragraph(c.get("lapsed_limit")))
        else:
            paragraphs.append(_("The application is approved."))
        if c.get("onsite"):
            paragraphs.append(_("Decided on site at the window by the department's chief representative."))
        stages = c.get("stages", [])
        if c.get("lead_department"):
            fields.append(_lead_field(c["lead_department"], len(stages) > 1))
        roles = department_roles([s.get("lead", False) for s in stages])
        items = [(_stage_label(s, role), _("deemed approved") if s["status"] == "deemed_approved"
                  else (s["opinion"] or _("approved"))) for s, role in zip(stages, roles)]
    elif document.kind == DocumentKind.DECISION:
        title = _("Decision to deny the licence")
        fields += [(_("Decided on"), _date(c["decided_on"]))]
        if c.get("lead_department"):
            # Decisions issued before ``joint`` was recorded named the lead department always.
            fields.append(_lead_field(c["lead_department"], c.get("joint", True)))
        items = [(r["department"], _denial_grounds(r)) for r in c["reasons"]]
        paragraphs.append(_("The application is denied for the reasons and on the legal basis below."))
        closing.append(_(REDRESS))
    elif document.kind == DocumentKind.SUSPENSION:
        title = _("Notice of suspension of the time limit")
        fields += [(_("Procedure"), c["reason"]), (_("Expected duration"),
                   _("%(days)s working days") % {"days": c["expected_days"] or "—"}),
                   (_("Working days remaining"), str(c["remaining_days"]))]
        paragraphs.append(_("The time limit is suspended while the statutory procedure below takes place; this time "
                            "is not counted (Administrative Licensing Law art. 45)."))
        paragraphs.append(c["note"])
    elif document.kind == DocumentKind.EXTENSION:
        title = _("Notice of extension of the time limit")
        fields += [(_("Extension"), _("%(days)d working days") % {"days": c["working_days"]}),
                   (_("New due date"), _date(c["due_date"])), (_("Reason"), c["reason"])]
        paragraphs.append(_("With the approval of the head of the department, the time limit is extended once "
                            "(Administrative Licensing Law art. 42)."))
    elif document.kind == DocumentKind.PAYMENT_NOTICE:
        title = _("Payment notice")
        fields += [(_("Fee"), _("%(amount)s yuan") % {"amount": c["amount"]}), (_("Fee and its legal basis"),
                                                                               c["fee_basis"])]
        paragraphs.append(_("Pay this fee at the window (cash or bank card) or online. Only the published fee above "
                            "may be charged; report any other charge to the efficiency complaints office. The "
                            "certificate is handed over once the fee is paid."))
        if c.get("refund_on_denial"):
            paragraphs.append(_("If the application is denied, the fee is refunded."))
    elif document.kind == DocumentKind.PAYMENT_RECEIPT:
        title = _("Receipt of payment")
        fields += [(_("Amount paid"), _("%(amount)s yuan") % {"amount": c["amount"]}),
                   (_("Paid by"), str(PAYMENT_METHODS.get(c["method"], c["method"]))),
                   (_("Paid on"), _date(c["paid_on"])), (_("Payment notice"), c["notice_number"]),
                   (_("Fee and its legal basis"), c["fee_basis"])]
    else:
        title = document.get_kind_display()
    if c.get("official"):
        fields.append((_("Official"), c["official"]))
    verify_url = (base_url or settings.SITE_URL).rstrip("/") + reverse("verify-document", args=[document.verify_code])
    return FormalDocument(
        title=title,
        issuer=c["issuer"],
        number=document.number,
        issued_at=timezone.localtime(document.issued_at),
        fields=fields,
        paragraphs=paragraphs,
        items=items,
        closing_paragraphs=closing,
        verify_url=verify_url,
        verify_caption=_("Scan to verify this document"),
        stamp_text=c["issuer"],
        watermark=watermark,
        language="en" if get_language() == "en" else "zh-hans",
        time_zone=settings.TIME_ZONE,
    )


def document_pdf(document: IssuedDocument, *, base_url: str | None = None) -> bytes:
    return render_pdf(formal_document(document, base_url=base_url))
