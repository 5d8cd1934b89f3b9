from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from approvals import views as approvals_views
from portal.public import views as public_views

urlpatterns = [
    path("api/", include("portal.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", public_views.home, name="home"),
    path("services/", public_views.catalogue, name="catalogue"),
    path("services/<str:code>/", public_views.service_detail, name="service-detail"),
    path("track/", public_views.track, name="track"),
    path("verify/<uuid:code>/", public_views.verify_document, name="verify-document"),
    path("login/", public_views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("approvals.urls")),
    path("", include("complaints.urls")),
    path("", include("accountability.urls")),
    path("", include("portal.supervision.urls")),
    path("", include("portal.inquiries.urls")),
    path("", include("portal.organisation.urls")),
]
