"""Domain errors. Services raise these; the API maps them to HTTP in one place
(portal.api.errors) and the pages show their ``detail`` as a message."""

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

from portal.validation import text_problem, visible_text


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_detail = _("The request is not valid.")

    def __init__(self, detail=None, *, code: str | None = None, fields: dict | None = None):
        self.detail = detail if detail is not None else self.default_detail
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.detail))


class ValidationFailed(DomainError):
    status = 400
    code = "invalid"


def required_text(value: str | None, field: str, message) -> str:
    """``value`` trimmed (``portal.validation.visible_text``); a blank one is a
    ValidationFailed saying ``message``, on ``field``, as is one with control characters."""
    value = visible_text(value or "")
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    problem = text_problem(value)
    if problem:
        raise ValidationFailed(problem, fields={field: [problem]})
    return value


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_detail = _("You are not allowed to do this.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_detail = _("Not found.")


class StateConflict(DomainError):
    """The object is not in a state that allows the action (or another person got there first)."""

    status = 409
    code = "state_conflict"
    default_detail = _("This action is not possible in the current state.")


class PayloadTooLarge(DomainError):
    status = 413
    code = "file_too_large"


class UnsupportedFileType(DomainError):
    status = 415
    code = "unsupported_file_type"


def unavailable_detail() -> str:
    return str(_("The service is briefly unavailable; please try again in a moment."))


# A database that went away under a request (restarted, failed over, a connection cut): the
# request did not happen as far as its transaction goes, and the same request a moment later
# works (with Idempotency-Key, a write is safe to send again). 503 with Retry-After says so.
DATABASE_GONE = (OperationalError, InterfaceError)
RETRY_AFTER = {"Retry-After": "5"}
