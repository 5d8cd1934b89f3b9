"""Every API error has one shape: {"code", "detail", "fields"} (SPEC §6).

Domain errors raised by services and DRF's own exceptions are mapped to HTTP
status codes here and nowhere else."""

import logging

from axes.exceptions import AxesBackendPermissionDenied
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, JsonResponse
from django.conf import settings
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import DATABASE_GONE, RETRY_AFTER, DomainError, unavailable_detail

log = logging.getLogger("portal.api")


def envelope(code: str, detail, fields=None, http_status: int = 400, headers=None) -> Response:
    return Response({"code": code, "detail": str(detail), "fields": fields or {}}, status=http_status,
                    headers=headers)


def envelope_json(code: str, detail, fields=None, http_status: int = 400) -> JsonResponse:
    """The same envelope outside DRF (middleware, Django's 404/500 handlers)."""
    return JsonResponse({"code": code, "detail": str(detail), "fields": fields or {}}, status=http_status,
                        json_dumps_params={"ensure_ascii": False})


def body_too_large_detail() -> str:
    return _("The request body is too large (at most %(size)d bytes).") % {
        "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}


def _flatten(errors) -> dict:
    if isinstance(errors, dict):
        return {k: (v if isinstance(v, (list, dict)) else [v]) for k, v in errors.items()}
    return {"non_field_errors": errors if isinstance(errors, list) else [errors]}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return envelope(exc.code, exc.detail, exc.fields, exc.status)
    if isinstance(exc, TransitionNotAllowed):
        return envelope("invalid_state", _("This action is not possible in the current state."), None, 409)
    if isinstance(exc, AxesBackendPermissionDenied):
        return envelope("throttled", _("Too many failed sign-in attempts; try again later."), None, 429)
    if isinstance(exc, DATABASE_GONE):
        log.error("the database went away under a request: %s", exc, exc_info=exc)
        return envelope("unavailable", unavailable_detail(), None, 503, headers=RETRY_AFTER)
    if isinstance(exc, RequestDataTooBig):
        return envelope("request_too_large", body_too_large_detail(), None, 413)
    if isinstance(exc, DataError):
        # A value the input checks let through but the column cannot hold (a length or a
        # range): the request's fault, not the server's. The checks name the field; this is
        # the net under them.
        return envelope("invalid", _("A value is too long or out of range."), None, 400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return envelope("invalid", _("Some fields are not valid."), _flatten(exc.detail), 400)
    if isinstance(exc, exceptions.Throttled):
        code = "throttled"
    elif isinstance(exc, exceptions.NotAuthenticated):
        code = "not_authenticated"
    elif isinstance(exc, exceptions.AuthenticationFailed):
        code = "authentication_failed"
    elif isinstance(exc, exceptions.PermissionDenied):
        code = "permission_denied"
    elif isinstance(exc, exceptions.NotFound):
        code = "not_found"
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        code = "unsupported_media_type"
    elif response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        code = "method_not_allowed"
    else:
        code = getattr(exc, "default_code", "error")
    detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else response.data.get("detail", "")
    return envelope(code, detail, None, response.status_code, headers={
        k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")
    })
