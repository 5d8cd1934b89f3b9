"""超期默许制 is one rule: the sweep (set-based, ``approvals.lapse``) and the single-stage
service (``review.stage_deem_approved``) write the same rows for the same lapse."""

import json

from django.db import transaction
from django.utils import timezone

from accountability.models import AccountabilityCase
from approvals.models import Application, IssuedDocument, Stage
from approvals.review import LAPSES_FROM, stage_deem_approved
from portal.audit.models import AuditEvent
from portal.catalogue.models import ServiceItem
from portal.notifications.models import Notification
from portal.sweep import sweep
from portal.transitions import transition_sources
from tests.approvals.helpers import accepted, stage_of

AUDIT_COLUMNS = ("at", "actor_id", "actor_label", "object_type", "object_id", "action", "from_status", "to_status",
                 "note", "data")


def _written(application_id: int, number: str) -> str:
    """Every row the lapse wrote about the application, as text in which the accountability
    cases' ids and numbers (drawn from a sequence, so different on each path) are named by
    their order instead."""
    stage_ids = list(Stage.objects.filter(application_id=application_id).values_list("id", flat=True))
    cases = list(AccountabilityCase.objects.filter(source_ref=number).order_by("id").values())
    case_ids = [c["id"] for c in cases]
    audit = sorted(
        [e for e in AuditEvent.objects.values(*AUDIT_COLUMNS)
         if (e["object_type"], e["object_id"]) in {("application", application_id)}
         | {("stage", s) for s in stage_ids} | {("accountabilitycase", c) for c in case_ids}],
        key=lambda e: (e["object_type"], e["object_id"], e["action"]))
    for entry in audit:
        if entry["object_type"] == "accountabilitycase":
            entry["object_id"] = f"case-{case_ids.index(entry['object_id'])}"
    rows = {
        "application": Application.objects.filter(pk=application_id).values().get(),
        "stages": list(Stage.objects.filter(application_id=application_id).order_by("id").values()),
        "documents": list(IssuedDocument.objects.filter(application_id=application_id).order_by("id")
                          .values("kind", "number", "issued_at", "issued_by", "content")),
        "cases": [{k: v for k, v in c.items() if k != "id"} for c in cases],
        "audit": audit,
        "messages": sorted(Notification.objects.filter(ref__in=[number] + [c["number"] for c in cases])
                           .values("event", "user_id", "email", "subject", "body", "ref", "created_at"),
                           key=lambda m: (m["event"], m["user_id"] or 0)),
    }
    text = json.dumps(rows, default=str, ensure_ascii=False, sort_keys=True)
    for index, case in enumerate(cases):
        text = text.replace(case["number"], f"case-number-{index}")
        text = text.replace(f"/cases/{case['id']}/", f"/cases/case-{index}/")
    return text


def _in_rollback(path, application_id: int, number: str) -> str:
    with transaction.atomic():
        path()
        rows = _written(application_id, number)
        transaction.set_rollback(True)
    return rows


def test_the_sweep_and_the_single_stage_service_write_the_same_rows(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "HSG-001")
    # One stage claimed (its case goes to the reviewer), the others not (to their heads).
    assert api(world.reviewer_env).post(f"/api/stages/{stage_of(app, 'ENV')}/claim/").status_code == 200
    travel(2026, 10, 14, 9)
    now = timezone.now()
    stage_ids = [s["id"] for s in app["stages"]]

    by_sweep = _in_rollback(lambda: sweep(now=now), app["id"], app["number"])
    by_service = _in_rollback(lambda: [stage_deem_approved(stage_id=s, now=now) for s in stage_ids],
                              app["id"], app["number"])

    assert by_sweep == by_service
    written = json.loads(by_sweep)
    assert written["application"]["status"] == "deemed_approved"
    assert len(written["cases"]) == 3 and {c["number"] for c in written["cases"]} == {
        "case-number-0", "case-number-1", "case-number-2"}
    # Every case, however opened, has an opening entry in its history.
    assert sorted(e["object_id"] for e in written["audit"] if e["action"] == "open") == [
        "case-0", "case-1", "case-2"]


def test_every_case_is_numbered_the_same_way(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    travel(2026, 10, 17, 9)
    sweep()
    case = AccountabilityCase.objects.get(source_ref=app["number"])
    assert case.number == f"ZR2026-{case.pk:06d}"


def test_the_states_a_stage_lapses_from_are_the_state_machines():
    assert LAPSES_FROM == transition_sources(Stage, "deem_approve") == {"pending", "claimed"}


def test_the_sweeps_certificate_number_is_the_single_paths_for_any_id(world):
    """ZS<year><id, at least 8 digits>: the sweep's SQL never cuts a longer id (LPAD would)."""
    from django.db.models import Value

    from approvals.lapse import certificate_number_sql
    from approvals.review import certificate_number_of

    for pk in (7, 12345678, 123456789, 9876543210):
        in_sql = ServiceItem.objects.annotate(
            n=certificate_number_sql(2026, Value(pk))).values_list("n", flat=True)[:1]
        assert list(in_sql) == [certificate_number_of(pk, 2026)], pk
