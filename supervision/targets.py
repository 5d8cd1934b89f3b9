"""考核目标: the targets a service center holds its departments to — 现场办结率 ≥ 90 %,
按时办结率 100 %, 群众评价满意率 ≥ 95 % by default (the seeds), configurable per
center — and the check of a department's figures against them. A figure without a
value (nothing decided, nobody rated) is not below its target."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit.services import audit_log
from portal.catalogue.selectors import catalogue_derived, published_catalogue
from portal.errors import NotFound, PermissionDenied, ValidationFailed
from portal.locking import for_update
from portal.organisation.models import ServiceCenter
from portal.organisation.roles import supervises
from supervision.models import ServiceTargets

# The figure of a department row and the name of its target, in the order shown.
TARGETS = {
    "onsite_rate": gettext_lazy("on-site completion rate"),
    "on_time_rate": gettext_lazy("on-time completion rate"),
    "satisfaction_rate": gettext_lazy("satisfaction rate"),
}
DEFAULTS = {"onsite_rate": Decimal("0.900"), "on_time_rate": Decimal("1.000"), "satisfaction_rate": Decimal("0.950")}


def targets_by_center() -> dict[int, dict[str, float]]:
    """The targets of every center that set its own (the others hold the defaults)."""
    return {t.center_id: {name: float(getattr(t, name)) for name in TARGETS} for t in ServiceTargets.objects.all()}


def default_targets() -> dict[str, float]:
    return {name: float(value) for name, value in DEFAULTS.items()}


def assess(row: dict, targets: dict[str, float]) -> dict:
    """``row`` (a department's figures) with its ``targets`` and the figures ``below_target``."""
    below = [name for name, minimum in targets.items() if row.get(name) is not None and row[name] < minimum]
    return {**row, "targets": targets, "below_target": below}


def held_targets_by_center() -> dict[int, dict[str, float]]:
    """``targets_by_center()``, kept in each process beside the catalogue: a save or delete of a
    center's targets drops the catalogue's version token (``catalogue_changed``, connected in
    apps.py) and this with it. Targets change a few times a year, the statistics are read all day."""
    return catalogue_derived(published_catalogue(), ("service-targets",), targets_by_center)


class TargetAssessor:
    """Reads the targets once and assesses any number of department rows."""

    def __init__(self):
        self.by_center = held_targets_by_center()

    def __call__(self, department, row: dict) -> dict:
        held = self.by_center.get(department.center_id)
        return assess(row, dict(held) if held else default_targets())


def breach_text(row: dict) -> list[str]:
    """Each figure below its target, in words: "on-site completion rate 45.0% (target ≥ 90.0%)"."""
    return [_("%(figure)s %(value).1f%% (target ≥ %(target).1f%%)") % {
        "figure": TARGETS[name], "value": row[name] * 100, "target": row["targets"][name] * 100}
        for name in row["below_target"]]


def targets_set(*, actor, center_code: str, **values) -> ServiceTargets:
    """A supervisor sets the targets of a center (fractions 0…1); the ones left out keep their value."""
    if not supervises(actor):
        raise PermissionDenied()
    center = ServiceCenter.objects.filter(code=center_code).first()
    if center is None:
        raise NotFound()
    fields = {name: [_("A fraction from 0 to 1.")] for name, value in values.items()
              if name in TARGETS and value is not None and not Decimal(0) <= Decimal(str(value)) <= Decimal(1)}
    if fields:
        raise ValidationFailed(_("The targets are not valid."), fields=fields)
    with transaction.atomic():
        targets, _created = for_update(ServiceTargets.objects.all()).get_or_create(center=center)
        before = {name: str(getattr(targets, name)) for name in TARGETS}
        for name, value in values.items():
            if name in TARGETS and value is not None:
                setattr(targets, name, Decimal(str(value)).quantize(Decimal("0.001")))
        targets.save()
        audit_log(actor=actor, obj=targets, action="targets_set", note=center.code,
                  data={"before": before, "after": {name: str(getattr(targets, name)) for name in TARGETS}})
    return targets
