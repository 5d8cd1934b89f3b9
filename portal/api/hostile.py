"""Requests no view should see, and the error answers Django gives outside the views.

One place refuses what would otherwise reach the database and fail there: a NUL character
in the address (PostgreSQL text cannot hold it) and a non-file body over
DATA_UPLOAD_MAX_MEMORY_SIZE (413). Under /api/ every such answer, and Django's own 404, 400
and 500, is the API's envelope {code, detail, fields}; pages keep their HTML."""

import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import defaults

from portal.api.errors import body_too_large_detail, envelope_json

_NUL = re.compile(r"%00|\x00")


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def has_nul(request) -> bool:
    return "\x00" in request.path_info or bool(_NUL.search(request.META.get("QUERY_STRING", "")))


def body_too_large(request) -> bool:
    """A body Django would refuse to read (RequestDataTooBig): file uploads are streamed to
    disk and limited by UPLOAD_MAX_BYTES instead."""
    if request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and length > limit


class HostileRequestMiddleware:
    """Refuses NUL characters in the address and oversized bodies before any view, form,
    lockout check or filter reads them. After LocaleMiddleware: the refusal speaks the
    visitor's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            detail = _("The address contains a NUL character.")
            if is_api(request):
                return envelope_json("invalid", detail, None, 400)
            return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
        if body_too_large(request):
            if is_api(request):
                return envelope_json("request_too_large", body_too_large_detail(), None, 413)
            return HttpResponseBadRequest(body_too_large_detail(), content_type="text/plain; charset=utf-8",
                                          status=413)
        return self.get_response(request)


def not_found(request, exception=None):
    """handler404: /api/ answers in the envelope, pages with the 404 page."""
    if is_api(request):
        return envelope_json("not_found", _("Not found."), None, 404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    if is_api(request):
        return envelope_json("invalid", _("The request is not valid."), None, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        return envelope_json("permission_denied", _("You are not allowed to do this."), None, 403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    """handler500 (DEBUG off): the API's clients get the envelope, never a traceback."""
    if is_api(request):
        return envelope_json("server_error", _("Something went wrong on our side; please try again later."),
                             None, 500)
    return defaults.server_error(request)
