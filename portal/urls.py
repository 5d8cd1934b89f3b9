"""The project's URLconf: it wires the apps in by dotted string and imports none of them,
so the shared core under ``portal`` never depends on a domain app (layers: README)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/", include("portal.api.urls")),
    path("api/", include("approvals.api_urls")),
    path("api/", include("complaints.api_urls")),
    path("api/accountability/", include("accountability.api_urls")),
    path("api/stats/", include("supervision.api_urls")),
    path("api/", include("supervision.inspection_urls")),
    path("api/", include("inquiries.api_urls")),
    path("api/", include("portal.organisation.api_urls")),
    path("api/", include("attendance.api_urls")),
    path("api/", include("appraisal.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("portal.operations.urls")),
    path("", include("public.urls")),
    path("", include("approvals.urls")),
    path("", include("complaints.urls")),
    path("", include("accountability.urls")),
    path("", include("supervision.urls")),
    path("", include("inquiries.urls")),
    path("", include("portal.organisation.urls")),
    path("", include("attendance.urls")),
    path("", include("appraisal.urls")),
]

# Django's own error answers: the API's envelope under /api/, the HTML pages elsewhere.
handler400 = "portal.api.hostile.bad_request"
handler403 = "portal.api.hostile.permission_denied"
handler404 = "portal.api.hostile.not_found"
handler500 = "portal.api.hostile.server_error"
