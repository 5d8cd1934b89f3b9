"""Steps of the one deadline sweep (portal.sweep): roll up the closed days."""

from supervision.rollup import rollup_step

STEPS = [("supervision_days_rolled_up", rollup_step)]
