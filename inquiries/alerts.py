"""电子监察 for inquiries: a yellow or red alert is a record, raised once per clock and
level, marked on the owner and told to those who can still act."""

from portal.audit.services import AuditEntry, audit_log_many
from inquiries import emails
from inquiries.models import Inquiry, InquiryAlert, InquiryAlertRecord, InquiryStatus
from portal.notifications.outbox import enqueue
from portal.organisation.models import StaffProfile
from portal.organisation.selectors import SupervisorsOf


def raise_inquiry_alerts(inquiries: list[Inquiry], *, level: str, now) -> None:
    """Mark ``inquiries`` (locked by the caller) with ``level`` and keep the records."""
    if not inquiries:
        return
    records, entries, messages = [], [], []
    # A red alert goes to the supervisors of the center concerned (the referred department's,
    # else the owner's).
    supervisors_of = SupervisorsOf() if level == InquiryAlert.RED else None
    owner_departments = dict(StaffProfile.objects.filter(user_id__in={i.owner_id for i in inquiries})
                             .values_list("user_id", "department_id")) if supervisors_of else {}
    for inquiry in inquiries:
        inquiry.alert = level
        referred = inquiry.status == InquiryStatus.REFERRED
        records.append(InquiryAlertRecord(
            inquiry=inquiry, clock=inquiry.clock, level=level, owner_id=inquiry.owner_id,
            department_id=inquiry.referred_to_id if referred else None, raised_at=now, due_at=inquiry.due_at))
        entries.append(AuditEntry(object_type="inquiry", object_id=inquiry.pk, action=f"alert_{level}",
                                  note=inquiry.number or "",
                                  data={"due_at": inquiry.due_at.isoformat(), "clock": inquiry.clock}))
        people = [inquiry.owner]
        if referred:
            people += [inquiry.referee, inquiry.referred_to.head if level == InquiryAlert.RED else None]
        if level == InquiryAlert.RED:
            people += supervisors_of(inquiry.referred_to_id if referred else owner_departments.get(inquiry.owner_id))
        messages += emails.messages_for(inquiry, f"inquiry_alert_{level}", people, emails.alert, level)
    Inquiry.objects.bulk_update(inquiries, ["alert"])
    InquiryAlertRecord.objects.bulk_create(records, ignore_conflicts=True)
    audit_log_many(actor=None, entries=entries, at=now)
    enqueue(messages)
