"""电子监察 红黄牌: alerts are records, raised once per clock and level, and told to
the people who can still act."""

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from approvals.emails import staff_message
from approvals.models import Alert, AlertRecord, Application, Stage
from portal.audit.services import AuditEntry, audit_log_many
from portal.notifications.outbox import enqueue
from portal.organisation import roles

RANK = {Alert.NONE: 0, Alert.YELLOW: 1, Alert.RED: 2}


def _supervisors() -> list[User]:
    return list(User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True))


def raise_alerts(stages: list[Stage], *, level: str, now) -> None:
    """Mark ``stages`` (locked by the caller) and their applications with ``level``."""
    if not stages:
        return
    records, entries, messages, applications = [], [], [], {}
    supervisors = _supervisors() if level == Alert.RED else []
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
            people = {stage.assignee or stage.department.head}
            if level == Alert.RED:
                people |= {stage.department.head, *supervisors}
            messages += [staff_message(p, f"alert_{level}", subject, body, ref=application.number)
                         for p in people if p is not None]
    Stage.objects.filter(pk__in=[s.pk for s in stages]).update(alert=level)
    if applications:
        Application.objects.filter(pk__in=list(applications)).update(alert=level)
    AlertRecord.objects.bulk_create(records, ignore_conflicts=True)
    audit_log_many(actor=None, entries=entries, at=now)
    enqueue(messages)
