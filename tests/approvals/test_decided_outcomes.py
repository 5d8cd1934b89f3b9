"""The decided outcomes and the open states are defined once (approvals.models), read from the
state machine's own transitions, and no other module keeps a copy (issue 10: "one rule, one
place")."""

import ast
from itertools import product
from pathlib import Path

from approvals.models import DECIDED, DECIDED_OUTCOMES, OPEN_STAGE, OPEN_STATUSES, Application, Stage, StageStatus, Status
from approvals.review import DECIDE, application_outcome
from portal.transitions import transition_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for p in ROOT.rglob("*.py")
           if not {".venv", "tests", "var", "node_modules", "migrations"} & set(p.relative_to(ROOT).parts)]


def _targets(model, name: str) -> set[str]:
    return {t.target for t in model._meta.get_field("status").get_all_transitions(model) if t.name == name}


def test_the_decided_outcomes_are_what_the_deciding_transitions_lead_to():
    assert set(DECIDE) == set(DECIDED_OUTCOMES)
    for outcome, name in DECIDE.items():
        assert _targets(Application, name) == {outcome}
    assert set(DECIDED) == set(DECIDED_OUTCOMES) | _targets(Application, "hand_over") | _targets(Application,
                                                                                                  "refuse")


def test_every_outcome_the_stages_can_give_is_a_decided_outcome():
    for statuses in product(StageStatus.values, repeat=2):
        assert application_outcome(statuses) in (*DECIDED_OUTCOMES, None)


def test_open_means_withdrawable_and_an_open_stage_is_one_that_may_still_lapse():
    assert set(OPEN_STATUSES) == transition_sources(Application, "withdraw")
    assert set(OPEN_STAGE) == transition_sources(Stage, "deem_approve") == transition_sources(Stage, "cancel")


def _literal_states(node) -> tuple[str, frozenset[str]] | None:
    """The states a tuple/list/set literal spells, and whose they are: ``"approved"`` (either
    machine's) or ``Status.APPROVED`` / ``StageStatus.APPROVED``."""
    if not isinstance(node, (ast.Tuple, ast.List, ast.Set)) or not node.elts:
        return None
    states, owners = set(), set()
    for element in node.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            states.add(element.value)
        elif isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name) \
                and element.value.id in {"Status", "StageStatus"}:
            owners.add(element.value.id)
            states.add(getattr(Status if element.value.id == "Status" else StageStatus, element.attr).value)
        else:
            return None
    return (owners.pop() if len(owners) == 1 else "", frozenset(states))


def test_no_module_spells_the_decided_outcomes_or_the_open_stages_again():
    """(The core under portal/ may not import approvals, so it names states as strings.)"""
    definitions = {frozenset(DECIDED_OUTCOMES): ("Status", "DECIDED_OUTCOMES"),
                   frozenset(OPEN_STATUSES): ("Status", "OPEN_STATUSES"),
                   frozenset(DECIDED): ("Status", "DECIDED"),
                   frozenset(OPEN_STAGE): ("StageStatus", "OPEN_STAGE")}
    found = []
    for path in SOURCES:
        where = path.relative_to(ROOT).as_posix()
        if where == "approvals/models.py" or where.startswith("portal/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), where)):
            literal = _literal_states(node)
            if literal and literal[1] in definitions:
                owner, name = definitions[literal[1]]
                if literal[0] in ("", owner):
                    found.append(f"{where}:{node.lineno} ({name})")
    assert not found, f"import the definition from approvals.models: {found}"
