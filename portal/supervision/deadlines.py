"""Steps of the one deadline sweep (approvals.deadlines): roll up the closed days."""

from portal.supervision.rollup import rollup_step

STEPS = [("supervision_days_rolled_up", rollup_step)]
