"""API paths of 明查暗访, included under /api/ by portal.urls."""

from django.urls import path

from supervision import inspections_api

urlpatterns = [
    path("inspections/", inspections_api.InspectionListCreateApi.as_view(), name="api-inspections"),
    path("inspections/<int:pk>/", inspections_api.InspectionDetailApi.as_view(), name="api-inspection"),
    path("inspections/findings/<int:pk>/open-case/", inspections_api.FindingOpenCaseApi.as_view()),
]
