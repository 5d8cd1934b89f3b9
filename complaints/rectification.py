"""书面说明和整改报告 (seeds, 001 line 349: "受到提意见和投诉的单位和个人，单位主要领导要
主动向企业或群众说明情况、解决问题，并分别书面向县效能办汇报"): on a substantiated
complaint the department's principal (主要负责人) explains in writing and reports the
rectification to the supervisors within ``settings.RECTIFICATION_REPORT_WORKING_DAYS``
working days. A report still missing at the limit raises an alert (the principal and the
center's supervisors are told) and is itself a case ground: a case against the principal
(source ``missing_report``), once.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.models import CaseSource, ResponsiblePersons, SubjectRole
from accountability.services import case_open
from approvals.emails import staff_message
from complaints import notifications
from complaints.models import Complaint, RectificationReport
from portal.audit.services import AuditEntry, audit_log, audit_log_many
from portal.errors import NotFound, PermissionDenied, StateConflict, required_text
from portal.locking import locked
from portal.notifications.outbox import enqueue
from portal.organisation import roles
from portal.organisation.selectors import SupervisorsOf, centers_in_reach
from portal.pagination import Ordering
from portal.sweep import claim_batch
from portal.workcalendar.calendar import get_work_calendar
from portal.web.list_filters import during


def principal_of(department):
    """主要负责人 of ``department`` (its responsible persons), else its head."""
    persons = ResponsiblePersons.objects.filter(department=department).select_related("principal").first()
    return (persons.principal if persons and persons.principal_id else None) or department.head


def _message(report: RectificationReport, person, event: str) -> object:
    complaint = report.complaint
    with translation.override(settings.LANGUAGE_CODE):
        if event == "requested":
            subject = _("Complaint %(number)s substantiated: written explanation due") % {"number": complaint.number}
            body = _("Complaint %(number)s about %(department)s was found substantiated. As principal, explain in "
                     "writing and report the rectification by %(date)s.")
        elif event == "overdue":
            subject = _("Complaint %(number)s: rectification report missing") % {"number": complaint.number}
            body = _("The written explanation and rectification report on complaint %(number)s about "
                     "%(department)s was due at the end of %(date)s and was not submitted.")
        else:
            subject = _("Complaint %(number)s: rectification report submitted") % {"number": complaint.number}
            body = _("The principal of %(department)s submitted the written explanation and rectification report "
                     "on complaint %(number)s (due %(date)s).")
        body = body % {"number": complaint.number, "department": report.department.name,
                       "date": timezone.localdate(report.due_at).isoformat()}
    link = settings.SITE_URL.rstrip("/") + f"/complaints/rectification/{report.pk}/"
    return staff_message(person, f"rectification_{event}", subject, f"{body}\n\n{link}", ref=complaint.number)


def rectification_request(complaint: Complaint, *, now) -> RectificationReport | None:
    """Ask the principal of the complaint's department for the report (in the caller's
    transaction, which holds the complaint's lock); a complaint asks once, even when it
    is concluded again after a reopening. None when the department has no principal."""
    if complaint.department_id is None:
        return None
    existing = RectificationReport.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    principal = principal_of(complaint.department)
    if principal is None:
        return None
    due = get_work_calendar().due_at(timezone.localdate(now), settings.RECTIFICATION_REPORT_WORKING_DAYS)
    report = RectificationReport.objects.create(complaint=complaint, department=complaint.department,
                                                principal=principal, requested_at=now, due_at=due.due_at)
    audit_log(actor=None, obj=report, action="request", at=now,
              data={"complaint": complaint.number, "principal": principal.get_username(),
                    "due_at": report.due_at.isoformat()})
    enqueue([_message(report, principal, "requested")])
    return report


def reports_visible_to(user) -> QuerySet[RectificationReport]:
    """The supervisors and the discipline office see the reports of the departments within
    their reach (a township's only its own, ``centers_in_reach``); a principal his own."""
    qs = RectificationReport.objects.select_related("complaint", "department", "principal")
    if not user.is_authenticated:
        return qs.none()
    centers = centers_in_reach(user) if roles.oversees(user) else []
    if centers is None:
        return qs
    return qs.filter(Q(department__center_id__in=centers) | Q(principal=user))


REPORT_ORDER = Ordering(("requested_at", "id"), descending=True)
REPORT_STATES = {
    "due": Q(submitted_at__isnull=True, overdue_at__isnull=True),
    "overdue": Q(submitted_at__isnull=True, overdue_at__isnull=False),
    "submitted": Q(submitted_at__isnull=False),
}


def report_search(reports: QuerySet[RectificationReport], *, q: str | None = None, state: str | None = None,
                  department=None, requested_from=None, requested_until=None) -> QuerySet[RectificationReport]:
    """``reports`` narrowed by the list's filters: the complaint's number ``q`` or the principal's
    badge (exact, any case); due, overdue or submitted; the department; requested in
    [``requested_from``, ``requested_until``)."""
    if q:
        q = q.strip().upper()
        reports = reports.filter(Q(complaint__number=q) | Q(principal__staff_profile__badge=q))
    if state in REPORT_STATES:
        reports = reports.filter(REPORT_STATES[state])
    if department is not None:
        reports = reports.filter(department=department)
    reports = during(reports, "requested_at", requested_from, requested_until)
    return reports


def report_for_user(user, pk) -> RectificationReport:
    try:
        return reports_visible_to(user).get(pk=pk)
    except (RectificationReport.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def rectification_report_submit(*, actor, report_id, explanation: str, measures: str) -> RectificationReport:
    """The principal submits the written explanation and the rectification measures, once;
    after the limit it is still accepted and stays marked late (the case stands)."""
    explanation = required_text(explanation, "explanation", _("Explain in writing what happened."))
    measures = required_text(measures, "measures", _("Say how it is rectified."))
    now = timezone.now()
    with transaction.atomic():
        report = locked(RectificationReport, report_id, related=("complaint", "department"))
        if report.principal_id != actor.pk:
            raise PermissionDenied(_("Only the department's principal submits this report."), code="not_principal")
        if report.submitted_at is not None:
            raise StateConflict(_("The report was already submitted."), code="already_submitted")
        report.explanation, report.measures, report.submitted_at = explanation, measures, now
        report.save(update_fields=["explanation", "measures", "submitted_at"])
        audit_log(actor=actor, obj=report, action="submit", at=now, note=explanation,
                  data={"complaint": report.complaint.number, "late": report.late})
        enqueue([_message(report, person, "submitted")
                 for person in notifications.supervisors_for(report.department_id)])
    return report


def rectification_overdue_batch(now, batch: int) -> int:
    """Deadline-sweep step: a report missing at its limit raises the alert and opens the
    case against the principal, once (``overdue_at`` marks it)."""
    with transaction.atomic():
        rows = claim_batch(RectificationReport.objects.filter(submitted_at__isnull=True, overdue_at__isnull=True,
                                                               due_at__lt=now)
                           .select_related("complaint", "department", "principal"), "due_at", batch)
        entries, messages, supervisors_of = [], [], SupervisorsOf()
        for report in rows:
            with translation.override(settings.LANGUAGE_CODE):
                summary = _("Complaint %(number)s about %(department)s was found substantiated; the principal did "
                            "not submit the written explanation and rectification report by %(date)s.") % {
                    "number": report.complaint.number, "department": report.department.name,
                    "date": timezone.localdate(report.due_at).isoformat()}
            case = case_open(subject=report.principal, subject_role=SubjectRole.PRINCIPAL,
                             source=CaseSource.MISSING_REPORT, source_ref=report.complaint.number,
                             department=report.department, summary=summary, now=now)
            report.overdue_at, report.case_number = now, case.number
            entries.append(AuditEntry(object_type=report._meta.model_name, object_id=report.pk, action="overdue",
                                      data={"complaint": report.complaint.number, "case": case.number}))
            messages += [_message(report, person, "overdue")
                         for person in [report.principal, *supervisors_of(report.department_id)]]
        RectificationReport.objects.bulk_update(rows, ["overdue_at", "case_number"])
        audit_log_many(actor=None, entries=entries, at=now)
        enqueue(messages)
    return len(rows)


def overdue_reports(reader) -> QuerySet[RectificationReport]:
    """The alert: reports past their limit and still not submitted, oldest first, of those
    ``reader`` sees (``reports_visible_to``: a township's supervisor only his own centers')."""
    return reports_visible_to(reader).filter(submitted_at__isnull=True, overdue_at__isnull=False).order_by("due_at", "id")
