import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.errors import DATABASE_GONE, RETRY_AFTER, NotFound, PermissionDenied, unavailable_detail

log = logging.getLogger("portal.web")


class DomainErrorMiddleware:
    """Pages: a domain 404/403 raised by a permission check becomes the normal error page; a
    value the form let through but its column cannot hold is the visitor's error (400), not
    the server's (the API maps both in portal.api.errors); a database that went away under the
request is 503 with Retry-After, as in the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception.detail))
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(str(exception.detail))
        if isinstance(exception, DataError):
            return HttpResponseBadRequest(_("A value is too long or out of range."),
                                          content_type="text/plain; charset=utf-8")
        if isinstance(exception, DATABASE_GONE):
            log.error("the database went away under a request: %s", exception, exc_info=exception)
            # A page of its own, not the site's layout: that reads the database (the inbox count).
            page = render_to_string("unavailable.html", {
                "language": get_language(), "detail": unavailable_detail(),
                # A read can simply be asked again; a form sent was not saved (its transaction
                # rolled back) and is sent again from the page it came from.
                "again": request.get_full_path() if request.method in ("GET", "HEAD") else ""})
            return HttpResponse(page, status=503, headers=RETRY_AFTER)
        return None


class ChineseFirstMiddleware:
    """Pages are in Chinese (zh-hans) unless the visitor chose another language with the
    switch (cookie); a browser's own language preference does not override the default.
    The API still honours Accept-Language for machine clients."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
