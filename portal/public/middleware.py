from django.http import Http404
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from portal.errors import NotFound, PermissionDenied


class DomainErrorMiddleware:
    """Pages: a domain 404/403 raised by a permission check becomes the normal error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception.detail))
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(str(exception.detail))
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
