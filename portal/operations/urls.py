from django.urls import path

from portal.operations.health import PortalHealthView, live
from portal.operations.metrics import metrics

urlpatterns = [
    path("health/", PortalHealthView.as_view(), name="health"),
    path("health/live/", live, name="health-live"),
    path("metrics", metrics, name="metrics"),
]
