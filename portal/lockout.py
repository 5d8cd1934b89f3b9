"""What a locked-out sign-in gets (django-axes): the API envelope or the page, both 429."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    detail = _("Too many failed sign-in attempts; try again in 15 minutes.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "throttled", "detail": detail, "fields": {}}, status=429)
    return render(request, "registration/locked_out.html", {"detail": detail}, status=429)
