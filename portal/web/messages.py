"""Domain errors on pages: what a service refused, shown one way on every page (the API
maps the same errors to HTTP in ``portal.api.errors``); a page's table of actions run one way."""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from portal.errors import DomainError


@dataclass
class Outcome:
    failed: bool = False


@contextmanager
def domain_errors_shown(request, form=None, *, passing: tuple[type[DomainError], ...] = ()) -> Iterator[Outcome]:
    """Run a page's call to a service: a DomainError it raises is shown (``show_domain_error``)
    instead of propagating, and ``outcome.failed`` tells the page::

        with domain_errors_shown(request, form) as outcome:
            complaint = services.complaint_file(...)
        if not outcome.failed:
            return redirect(...)

    Errors of the ``passing`` kinds propagate instead: ``passing=(NotFound,)`` on a page whose
    object may be out of the visitor's reach gives the 404 page (``DomainErrorMiddleware``)."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        if isinstance(error, passing):
            raise
        outcome.failed = True
        show_domain_error(request, error, form)


def show_domain_error(request, error: DomainError, form=None) -> None:
    """The error's detail as a message, and each field problem on the form's field when the
    form has it, else as a message of its own."""
    messages.error(request, error.detail)
    for field, problems in error.fields.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            # Missing materials come as {"material": code, "name": name}: the name is what to show.
            text = str(problem["name"] if isinstance(problem, dict) else problem)
            if form is not None and field in form.fields:
                form.add_error(field, text)
            else:
                messages.error(request, text)


def page_action_run(request, actions: Mapping[str, Callable], action: str, *args):
    """A page's POST …/<action>/: ``actions[action](request, *args)`` (404 for an action the
    table does not have), a DomainError it raises shown (``domain_errors_shown``) and "Done."
    when it returns something. Returns what it returned; None when it was refused, or when the
    handler showed a problem of its own (an invalid form) and returned None."""
    handler = actions.get(action)
    if handler is None:
        raise Http404()
    result = None
    with domain_errors_shown(request):
        result = handler(request, *args)
    if result is not None:
        messages.success(request, _("Done."))
    return result
