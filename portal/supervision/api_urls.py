from django.urls import path

from portal.supervision import api

urlpatterns = [
    path("departments/", api.DepartmentStatsApi.as_view(), name="api-stats-departments"),
    path("departments/<str:code>/", api.DepartmentStatsDetailApi.as_view(), name="api-stats-department"),
    path("officials/", api.OfficialStatsApi.as_view(), name="api-stats-officials"),
    path("officials/<str:username>/", api.OfficialStatsDetailApi.as_view(), name="api-stats-official"),
]
