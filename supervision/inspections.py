"""明查暗访 (seeds: "不定期地明查暗访，及时发现问题，掌握真实情况"): supervisors record
their inspection visits to the hall, announced (明查) or unannounced (暗访), with what they
found at each window; a problem found can open an accountability case against the
official named, or the window's department's directly responsible person."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import AccountabilityCase, CaseSource, ResponsiblePersons, Severity, SubjectRole
from accountability.services import case_open
from portal.audit.services import audit_log
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from portal.locking import locked
from portal.organisation import roles
from portal.organisation.models import ServiceCenter, StaffProfile, Window
from portal.organisation.selectors import centers_in_reach, in_reach
from supervision import permissions
from supervision.models import FindingOutcome, InspectionFinding, InspectionVisit, VisitKind

MAX_FINDINGS = 50


@dataclass(frozen=True)
class FindingData:
    window: str  # the window's number
    outcome: str
    description: str = ""
    official: str = ""  # username of an official at the window, if the finding concerns one


def require_inspector(user) -> None:
    """Supervisors (效能监察) record visits; the discipline office reads them."""
    if not roles.supervises(user):
        raise PermissionDenied(_("Only a supervisor records inspection visits."), code="not_supervisor")


def inspected_center(actor) -> ServiceCenter | None:
    """A supervisor inspects his own center (a township's supervisor his township's windows);
    one without a badge (a superuser) the first center."""
    profile = getattr(actor, "staff_profile", None)
    return profile.department.center if profile else ServiceCenter.objects.order_by("pk").first()


def visits_visible_to(user, *, kind: str = "", window: str = "", department: str = "") -> QuerySet[InspectionVisit]:
    """The visits ``user`` may read (``permissions.inspection_findings_scope``), newest first,
    each with only the findings he may read (``visit.findings.all()``) and ``shown_note``: the
    visit's note for supervisors and the discipline office (who read only whole visits), empty for a department head (it may
    speak of other departments' windows). ``window`` (number) and ``department`` (code) keep
    the visits with a finding there that he may read."""
    scope = permissions.inspection_findings_scope(user)
    findings = InspectionFinding.objects.select_related("window", "department", "official__staff_profile")
    visits = InspectionVisit.objects.select_related("center", "inspector")
    if scope is not None:
        findings = findings.filter(scope)
    wanted = findings
    if window:
        wanted = wanted.filter(window__number=window)
    if department:
        wanted = wanted.filter(department__code=department)
    if scope is not None or window or department:
        visits = visits.filter(pk__in=wanted.values("visit_id"))
    if kind:
        visits = visits.filter(kind=kind)
    return (visits.annotate(shown_note=F("note") if roles.oversees(user) else Value(""))
            .prefetch_related(Prefetch("findings", queryset=findings.order_by("id"))))


def visit_for_user(user, pk) -> InspectionVisit:
    """One visit ``user`` may read, with the findings he may read; NotFound otherwise."""
    try:
        return visits_visible_to(user).get(pk=pk)
    except (InspectionVisit.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def finding_for_user(user, pk) -> InspectionFinding:
    """One finding ``user`` may read; NotFound otherwise."""
    scope = permissions.inspection_findings_scope(user)
    findings = InspectionFinding.objects.select_related("visit")
    if scope is not None:
        findings = findings.filter(scope)
    try:
        finding = findings.filter(pk=pk).first()
    except (ValueError, TypeError):
        finding = None
    if finding is None:
        raise NotFound()
    return finding


def _resolve_findings(actor, findings: list[FindingData], center) -> tuple[list[InspectionFinding], dict]:
    errors: dict[str, list[str]] = {}
    rows = []
    reach = centers_in_reach(actor)
    if not findings:
        errors["findings"] = [_("Record what was found at one window at least.")]
    if len(findings) > MAX_FINDINGS:
        errors["findings"] = [_("At most %(n)d windows per visit.") % {"n": MAX_FINDINGS}]
    for index, data in enumerate(findings[:MAX_FINDINGS]):
        key = f"findings.{index}"
        window = Window.objects.select_related("department").filter(center=center, number=data.window.strip()).first()
        if window is None:
            errors[f"{key}.window"] = [_("No window with this number at the center.")]
        if data.outcome not in FindingOutcome.values:
            errors[f"{key}.outcome"] = [_("One of: %(codes)s") % {"codes": ", ".join(FindingOutcome.values)}]
        elif data.outcome == FindingOutcome.PROBLEM and not data.description.strip():
            errors[f"{key}.description"] = [_("Say what was wrong.")]
        official = None
        if data.official.strip():
            profile = (StaffProfile.objects.select_related("user", "department")
                       .filter(user__username=data.official.strip(), user__is_active=True).first())
            if profile is None:
                errors[f"{key}.official"] = [_("No official with this username.")]
            elif reach is not None and profile.department.center_id not in reach:
                # 三级政务服务: a township's supervisor names only his own centers' officials
                # (``official_choices``); a county official is the county's to inspect.
                errors[f"{key}.official"] = [_("This official is not within your center's supervision.")]
            else:
                official = profile.user
        if window is not None:
            department = window.department or (official.staff_profile.department if official else None)
            rows.append(InspectionFinding(window=window, department=department, official=official,
                                          outcome=data.outcome, description=data.description.strip()))
    return rows, errors


def inspection_record(*, actor, kind: str, visited_at: datetime, findings: list[FindingData],
                      note: str = "") -> InspectionVisit:
    """明查暗访: record a visit and what it found per window (at the inspector's center); a
    finding names only an official of a center within the inspector's reach (三级政务服务)."""
    require_inspector(actor)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if kind not in VisitKind.values:
        errors["kind"] = [_("One of: %(codes)s") % {"codes": ", ".join(VisitKind.values)}]
    if visited_at is None or visited_at > now:
        errors["visited_at"] = [_("When the visit took place (not in the future).")]
    center = inspected_center(actor)
    rows, finding_errors = _resolve_findings(actor, findings, center)
    errors.update(finding_errors)
    if errors:
        raise ValidationFailed(_("The visit cannot be recorded."), fields=errors)
    with transaction.atomic():
        visit = InspectionVisit.objects.create(number=f"tmp-{now.timestamp()}-{actor.pk}", kind=kind, center=center,
                                               visited_at=visited_at, inspector=actor, recorded_at=now,
                                               note=(note or "").strip())
        prefix = "MC" if kind == VisitKind.ANNOUNCED else "AF"
        visit.number = f"{prefix}{timezone.localdate(now):%Y}-{visit.pk:06d}"
        visit.save(update_fields=["number"])
        for row in rows:
            row.visit = visit
        InspectionFinding.objects.bulk_create(rows)
        audit_log(actor=actor, obj=visit, action="record", at=now, note=visit.note,
                  data={"kind": kind, "visited_at": visited_at.isoformat(),
                        "findings": [{"window": r.window.number, "outcome": r.outcome,
                                      "official": r.official.get_username() if r.official else None} for r in rows]})
    return visit


def _answerable(finding: InspectionFinding):
    """The official named, else the window's department's directly responsible person."""
    if finding.official_id:
        return finding.official
    if finding.department_id is None:
        return None
    persons = ResponsiblePersons.objects.filter(department_id=finding.department_id).select_related(
        "direct", "department__head").first()
    return persons.person(SubjectRole.DIRECT) if persons else finding.department.head


def inspection_finding_open_case(*, actor, finding_id, summary: str = "",
                                 severity: str = Severity.ORDINARY) -> AccountabilityCase:
    """A problem found on a visit becomes an accountability case (source ``inspection``),
    once per finding."""
    require_inspector(actor)
    if severity not in Severity.values:
        raise ValidationFailed(_("Unknown severity."),
                               fields={"severity": [_("One of: %(codes)s") % {"codes": ", ".join(Severity.values)}]})
    now = timezone.now()
    with transaction.atomic():
        finding = locked(InspectionFinding, finding_id, related=("visit", "window", "department", "official"))
        if finding.outcome != FindingOutcome.PROBLEM:
            raise StateConflict(_("Only a problem found opens a case."), code="no_problem_found")
        if finding.case_number:
            raise StateConflict(_("A case was already opened: %(number)s.") % {"number": finding.case_number},
                                code="case_already_opened")
        subject = _answerable(finding)
        if subject is None:
            raise ValidationFailed(_("Nobody is answerable for this window."),
                                   fields={"official": [_("Name the official concerned on the finding.")]})
        if subject.pk == actor.pk:
            raise PermissionDenied(_("Nobody opens a case against himself."), code="own_case")
        text = (summary or "").strip() or _("%(visit)s (%(kind)s) at window %(window)s on %(date)s: %(found)s") % {
            "visit": finding.visit.number, "kind": finding.visit.get_kind_display(), "window": finding.window.number,
            "date": timezone.localdate(finding.visit.visited_at).isoformat(), "found": finding.description}
        case = case_open(subject=subject, subject_role=SubjectRole.DIRECT, source=CaseSource.INSPECTION,
                         source_ref=finding.reference, department=finding.department, summary=text,
                         opened_by=actor, now=now, severity=severity)
        finding.case_number = case.number
        finding.save(update_fields=["case_number"])
        audit_log(actor=actor, obj=finding.visit, action="open_case", at=now, note=case.number,
                  data={"finding": finding.pk, "case": case.number, "subject": subject.get_username()})
    return case


def official_choices(actor) -> list:
    """The officials a finding of ``actor``'s may name: those of the centers within his reach."""
    return list(get_user_model().objects.filter(is_active=True, staff_profile__isnull=False)
                .filter(in_reach(actor, "staff_profile__department__center"))
                .select_related("staff_profile__department").order_by("staff_profile__badge"))
