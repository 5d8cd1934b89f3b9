"""Steps of the one deadline sweep (``portal.sweep``, SPEC §5) for applications and stages.

Each step claims a batch of due rows with ``ORDER BY due … FOR UPDATE SKIP LOCKED``
(so any number of workers can sweep at once without taking the same row), applies
the transition in the same transaction, and loops until nothing is due. Human
decisions lock the same rows, so a decision and the sweep serialise: whoever
commits first wins and the other finds the new state and does nothing.
"""

from django.db import transaction

from approvals import alerts, services
from approvals.lapse import STAGE_COLUMNS, claim_by_stage, claim_due, lapse_rows, write_lapse_batch
from approvals.models import OPEN_STAGE, Alert, Application, Stage, Status
from portal.sweep import claim_batch


def _deemed_acceptance_batch(now, batch: int) -> int:
    """逾期不告知视为受理: submitted applications nobody answered within 5 working days."""
    with transaction.atomic():
        rows = claim_batch(
            Application.objects.filter(status=Status.SUBMITTED, intake_due_at__lt=now).select_related(
                "service", "service__department__center"
            ),
            "intake_due_at",
            batch,
        )
        for application in rows:
            services.application_deem_accept(application=application, now=now)
    return len(rows)


def _spot_intake_missed_batch(now, batch: int) -> int:
    """当场受理: complete walk-ins not accepted or refused on the day they were handed in."""
    with transaction.atomic():
        rows = claim_batch(
            Application.objects.filter(status=Status.SUBMITTED, spot_missed=False, spot_due_at__lt=now)
            .select_related("service__department", "created_by"),
            "spot_due_at", batch)
        alerts.spot_intake_missed(rows, now=now)
    return len(rows)


def _claim_for_stages(stage_lookups: dict, batch: int, order: str = "due_at"):
    """Claim applications (``approvals.lapse.claim_by_stage``) with all their stages, as
    model instances. The application row is the lock of itself and its stages: every human
    decision locks it first, so reading the stages under it is safe and no sweep ever waits
    for a row another transaction holds."""
    ids = [row[0] for row in claim_by_stage(stage_lookups, order=order, batch=batch)]
    applications = list(Application.objects.filter(pk__in=ids).select_related(
        "service", "service__department__center").order_by("due_at", "pk"))
    stages = list(
        Stage.objects.filter(application__in=applications)
        .select_related("department__head", "assignee").order_by("application_id", "id")
    )
    by_id = {a.pk: a for a in applications}
    for stage in stages:
        stage.application = by_id[stage.application_id]
    return applications, stages


# The stage steps below read up to ``batch`` matching stage rows and handle every matching
# stage of the applications they claimed, so the stages they handled (their result) reach
# ``batch`` exactly when a full batch was read and more may be due.


def _stage_lapse_batch(now, batch: int) -> int:
    """超期默许: open stages past their limit are deemed approved, with their side effects."""
    with transaction.atomic():
        applications = claim_due(now, batch)
        if not applications:
            return 0
        stages = list(Stage.objects.filter(application_id__any_of=[a[0] for a in applications])
                      .order_by("application_id", "id").values_list(*STAGE_COLUMNS))
        result = lapse_rows(applications, stages, now=now)
        write_lapse_batch(result, now=now)
        return len(result.stage_ids)


def _red_alert_batch(now, batch: int) -> int:
    """Items that exclude deemed approval: a lapsed stage raises a red alert instead."""
    with transaction.atomic():
        applications, stages = _claim_for_stages(
            {"status__in": OPEN_STAGE, "deemed_approval": False, "due_at__lt": now,
             "alert__in": [Alert.NONE, Alert.YELLOW]}, batch)
        due = [s for s in stages if s.status in OPEN_STAGE and not s.deemed_approval and s.due_at
               and s.due_at < now and s.alert != Alert.RED]
        alerts.raise_alerts(due, level="red", now=now)
        return len(due)


def _yellow_alert_batch(now, batch: int) -> int:
    """电子监察 黄牌: 20% or less of the limit left (at the latest one working day before)."""
    with transaction.atomic():
        applications, stages = _claim_for_stages(
            {"status__in": OPEN_STAGE, "warn_at__lt": now, "alert": Alert.NONE}, batch, order="warn_at")
        due = [s for s in stages if s.status in OPEN_STAGE and s.warn_at and s.warn_at < now
               and s.alert == Alert.NONE]
        alerts.raise_alerts(due, level="yellow", now=now)
        return len(due)


STEPS = (
    ("spot_intake_missed", _spot_intake_missed_batch),
    ("deemed_accepted", _deemed_acceptance_batch),
    ("deemed_approved_stages", _stage_lapse_batch),
    ("red_alerts", _red_alert_batch),
    ("yellow_alerts", _yellow_alert_batch),
)
# Steps whose backlog several threads may work off together: a batch locks only the rows it
# claimed (SKIP LOCKED); its audit rows are a block of their own (no shared chain lock), so
# two batches never wait on each other. (Deemed acceptance numbers applications one by one
# and logs as it goes: it stays on one thread.)
PARALLEL_STEPS = {"deemed_approved_stages"}
