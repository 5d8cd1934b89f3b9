"""电子监察 红黄牌: alerts are records, raised once per clock and level, and told to
the people who can still act (and, for a key project, to its project manager; for a referred-up
application, to the official of the center that took it in and that center's supervisors)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from approvals.emails import staff_message
from approvals.models import Alert, AlertRecord, Application, Stage
from approvals.referral_alerts import official_department, referral_officials
from portal.audit.services import AuditEntry, audit_log_many
from portal.notifications.outbox import enqueue
from portal.organisation.selectors import SupervisorsOf
from projects.models import KeyProject

RANK = {Alert.NONE: 0, Alert.YELLOW: 1, Alert.RED: 2}


def raise_alerts(stages: list[Stage], *, level: str, now) -> None:
    """Mark ``stages`` (locked by the caller) and their applications with ``level``."""
    if not stages:
        return
    records, entries, messages, applications = [], [], [], {}
    # A red alert goes to the supervisors of the stage's center (电子监察 of that center).
    supervisors_of = SupervisorsOf() if level == Alert.RED else None
    # 项目经理制: the manager of a key project hears of every alert on its applications (督办).
    managers = project_managers({s.application.key_project_id for s in stages} - {None})
    # 上报事项负责代理: the official of the center that took a referred-up application in follows it.
    referred = referral_officials({s.application_id for s in stages})
    with translation.override(settings.LANGUAGE_CODE):
        for stage in stages:
            application = stage.application
            stage.alert = level
            if RANK[level] > RANK[application.alert]:
                application.alert = level
                applications[application.pk] = application
            records.append(AlertRecord(level=level, application=application, stage=stage,
                                       department_id=stage.department_id, assignee_id=stage.assignee_id,
                                       raised_at=now, due_at=stage.due_at))
            entries.append(AuditEntry(object_type="stage", object_id=stage.pk, action=f"alert_{level}",
                                      note=f"{application.number} {stage.department.code}"))
            subject = (_("Yellow alert: %(number)s is due soon") if level == Alert.YELLOW
                       else _("Red alert: %(number)s is overdue")) % {"number": application.number}
            body = _("Stage of %(department)s for application %(number)s is due at %(due)s.") % {
                "department": stage.department.name, "number": application.number,
                "due": stage.due_at.isoformat() if stage.due_at else "—"}
            people = {stage.assignee or stage.department.head, managers.get(application.key_project_id)}
            if level == Alert.RED:
                people |= {stage.department.head, *supervisors_of(stage.department_id)}
            official = referred.get(application.pk)
            if official is not None:
                people.add(official)
                if level == Alert.RED:
                    people |= set(supervisors_of(official_department(official, stage.department_id)))
            messages += [staff_message(p, f"alert_{level}", subject, body, ref=application.number)
                         for p in people if p is not None]
    Stage.objects.filter(pk__in=[s.pk for s in stages]).update(alert=level)
    if applications:
        Application.objects.filter(pk__in=list(applications)).update(alert=level)
    AlertRecord.objects.bulk_create(records, ignore_conflicts=True)
    audit_log_many(actor=None, entries=entries, at=now)
    enqueue(messages)


def project_managers(project_ids: set[int]) -> dict:
    """The managers (项目经理) of these key projects, by project id, read in one query."""
    if not project_ids:
        return {}
    return {p.pk: p.manager for p in KeyProject.objects.filter(pk__in=project_ids).select_related("manager")}


def spot_intake_missed(applications: list[Application], *, now) -> None:
    """当场受理: a complete walk-in left unanswered past its day (``applications`` locked by the
    caller) is marked, raises a red alert against the clerk who took it in, and tells him and
    the supervisors; it no longer counts as completed on site (现场办结)."""
    if not applications:
        return
    supervisors_of = SupervisorsOf()
    records, entries, messages = [], [], []
    with translation.override(settings.LANGUAGE_CODE):
        note = _("not accepted or refused on the spot (当场受理)")
        for application in applications:
            records.append(AlertRecord(level=Alert.RED, application=application, stage=None,
                                       department_id=application.service.department_id,
                                       assignee_id=application.created_by_id, raised_at=now,
                                       due_at=application.spot_due_at, note=note))
            entries.append(AuditEntry(object_type="application", object_id=application.pk, action="spot_intake_missed",
                                      from_status=application.status, to_status=application.status, note=note))
            subject = _("Red alert: walk-in %(number)s was not answered on the spot") % {"number": application.number}
            body = _("Every material of walk-in %(number)s was handed in; it had to be accepted or refused by "
                     "%(due)s.") % {"number": application.number, "due": application.spot_due_at.isoformat()}
            messages += [staff_message(p, "alert_red", subject, body, ref=application.number)
                         for p in {application.created_by, *supervisors_of(application.service.department_id)}]
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(spot_missed=True)
    AlertRecord.objects.bulk_create(records, ignore_conflicts=True)
    audit_log_many(actor=None, entries=entries, at=now)
    enqueue(messages)
