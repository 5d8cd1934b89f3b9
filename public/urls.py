from django.contrib.auth import views as auth_views
from django.urls import path

from public import personal, views

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.catalogue, name="catalogue"),
    path("services/<str:code>/", views.service_detail, name="service-detail"),
    path("services/<str:code>/forms/<str:kind>.pdf", views.service_form, name="service-form"),
    path("track/", views.track, name="track"),
    path("verify/<uuid:code>/", views.verify_document, name="verify-document"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", views.workbench, name="workbench"),
    path("inbox/", personal.inbox, name="inbox"),
    path("display/large-text/", personal.elder_mode, name="elder-mode"),
]
