"""Transitions of the django-fsm state machines, run the one way every service runs them.

Transition whitelists stay readable in each model (``@transition(source=…, target=…)``);
this module runs them and reads them, so no other module keeps a copy of the states."""

from django_fsm import ANY_OTHER_STATE, ANY_STATE, can_proceed

from portal.errors import StateConflict


def transition_run(obj, name: str) -> str:
    """Run the transition ``name`` of ``obj`` and return the state it left. One the state
    machine refuses from the current state is a 409 in the words of the model's
    ``TRANSITION_REFUSED`` (a message naming the state as ``%(status)s``)."""
    method = getattr(obj, name)
    if not can_proceed(method):
        raise StateConflict(type(obj).TRANSITION_REFUSED % {"status": obj.get_status_display()},
                            code="invalid_state")
    before = obj.status
    method()
    return before


def transition_sources(model, name: str) -> frozenset[str]:
    """The states from which ``model``'s transition ``name`` may run, read from its
    ``@transition(source=…)``: what a set-based path (a bulk UPDATE) filters on, so that a
    state added to the machine is never forgotten there."""
    meta = getattr(model, name)._django_fsm
    states = {value for value, _label in meta.field.choices}
    sources = set(meta.transitions)
    if ANY_STATE in sources:
        return frozenset(states)
    if ANY_OTHER_STATE in sources:
        return frozenset(states - {meta.transitions[ANY_OTHER_STATE].target})
    return frozenset(sources)
