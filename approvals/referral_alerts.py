"""上报事项负责代理制 under 电子监察 (seed 001 line 103; issue 13 item 2): a referred-up
application runs on the competent center's own clock (``centers.Referral.due_at``). When that
clock passes with no result, the center that took it in is alerted like any other overdue
work: a red alert on record against the official in charge (负责代理人), told to him and to
the supervisors of his center and of the centers above it — once per referral. The alerts of
the competent center's own clock on it reach them too (``approvals.alerts.raise_alerts``).

A deadline-sweep step (settings.DEADLINE_STEP_MODULES): it claims the late referrals' own rows
(SKIP LOCKED); no decision path locks a referral after it is opened, so it never waits on one."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from approvals.emails import staff_message
from approvals.models import Alert, AlertRecord, Status
from centers.models import Referral
from portal.audit.services import AuditEntry, audit_log_many
from portal.notifications.outbox import enqueue
from portal.organisation.selectors import SupervisorsOf
from portal.sweep import claim_batch

# A result still awaited: the application is accepted and not yet decided or withdrawn.
AWAITING_RESULT = (Status.IN_REVIEW, Status.SUSPENDED)


def referral_officials(application_ids: set[int]) -> dict:
    """The officials in charge (负责代理人) of whichever of these applications were referred
    up, by application id, with their profiles, in one query."""
    if not application_ids:
        return {}
    return {r.application_id: r.official for r in Referral.objects.filter(application_id__in=application_ids)
            .select_related("official__staff_profile")}


def official_department(official, default_id: int) -> int:
    """The department whose center's supervisors follow what ``official`` answers for."""
    profile = getattr(official, "staff_profile", None)
    return profile.department_id if profile is not None else default_id


def referrals_late_alert(referrals: list[Referral], *, now) -> None:
    """Raise the red alert of each late referral (locked by the caller) and tell the official
    in charge and the supervisors of his center (and those above it)."""
    if not referrals:
        return
    supervisors_of = SupervisorsOf()
    records, entries, messages = [], [], []
    with translation.override(settings.LANGUAGE_CODE):
        for referral in referrals:
            application, official = referral.application, referral.official
            department_id = official_department(official, application.service.department_id)
            note = _("referred up to %(center)s: no result by %(due)s (上报事项负责代理)") % {
                "center": referral.to_center.name, "due": referral.due_at.isoformat()}
            records.append(AlertRecord(level=Alert.RED, application=application, stage=None, referral=referral,
                                       department_id=department_id, assignee=official, raised_at=now,
                                       due_at=referral.due_at, note=note[:300]))
            entries.append(AuditEntry(object_type="application", object_id=application.pk, action="referral_late",
                                      from_status=application.status, to_status=application.status, note=note))
            subject = _("Red alert: the result of referred-up %(number)s is late") % {"number": application.number}
            body = _("Application %(number)s was referred up to %(center)s on %(forwarded)s; its result was due by "
                     "%(due)s. As the official in charge (负责代理人), follow it up with %(center)s.") % {
                "number": application.number, "center": referral.to_center.name,
                "forwarded": referral.forwarded_at.isoformat(), "due": referral.due_at.isoformat()}
            messages += [staff_message(p, "alert_red", subject, body, ref=application.number)
                         for p in {official, *supervisors_of(department_id)}]
    Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(late_alerted_at=now)
    AlertRecord.objects.bulk_create(records, ignore_conflicts=True)
    audit_log_many(actor=None, entries=entries, at=now)
    enqueue(messages)


def _referral_late_batch(now, batch: int) -> int:
    """Referred-up applications whose higher center's clock passed without a result."""
    with transaction.atomic():
        rows = claim_batch(
            Referral.objects.filter(late_alerted_at__isnull=True, due_at__lt=now,
                                    application__status__in=AWAITING_RESULT)
            .select_related("application__service", "official__staff_profile", "to_center"),
            "due_at", batch)
        referrals_late_alert(rows, now=now)
    return len(rows)


STEPS = (("referrals_late", _referral_late_batch),)
