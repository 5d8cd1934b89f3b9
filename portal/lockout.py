"""Sign-in lockout (django-axes): what a locked-out sign-in gets, and where the counts live.

In production the failure counts are in the shared cache. While the cache is unreachable
(portal.cache) nobody could be locked out, so sign-in is refused for that time (503, "try again
shortly") instead of letting unlimited guesses through; everything else keeps working and people
already signed in stay signed in (sessions are in the database).
"""

from axes.handlers.cache import AxesCacheHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.cache import reachable


class KeptCacheHandler(AxesCacheHandler):
    """The failure counts in the shared cache; locked while the cache cannot count them."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or not reachable()

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # A failure the cache cannot count is refused like a locked-out one (and the sign-ins
        # after it too, by is_locked, until the cache is back).
        if reachable():
            try:
                super().user_login_failed(sender, credentials, request, **kwargs)
                return
            except ValueError:  # the cache went away between the add and the incr
                if reachable():
                    raise
        if request is not None:
            request.axes_locked_out = True


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    if not reachable():
        title, detail, code, status = (_("Sign-in unavailable"),
                                       _("Sign-in is unavailable for a moment; please try again shortly."),
                                       "unavailable", 503)
    else:
        title, detail, code, status = (_("Sign-in locked"),
                                       _("Too many failed sign-in attempts; try again in 15 minutes."),
                                       "throttled", 429)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": detail, "fields": {}}, status=status)
    return render(request, "registration/locked_out.html", {"title": title, "detail": detail}, status=status)
