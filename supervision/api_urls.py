from django.urls import path

from supervision import api, targets_api

urlpatterns = [
    path("targets/", targets_api.TargetsListApi.as_view(), name="api-stats-targets"),
    path("targets/<str:code>/", targets_api.TargetsDetailApi.as_view(), name="api-stats-targets-center"),
    path("monthly-report/", targets_api.MonthlyReportApi.as_view(), name="api-stats-monthly-report"),
    path("monthly-report/csv/", targets_api.MonthlyReportCsvApi.as_view(), name="api-stats-monthly-report-csv"),
    path("monthly-report/pdf/", targets_api.MonthlyReportPdfApi.as_view(), name="api-stats-monthly-report-pdf"),
    path("departments/", api.DepartmentStatsApi.as_view(), name="api-stats-departments"),
    path("departments/<str:code>/", api.DepartmentStatsDetailApi.as_view(), name="api-stats-department"),
    path("officials/", api.OfficialStatsApi.as_view(), name="api-stats-officials"),
    path("officials/<str:username>/", api.OfficialStatsDetailApi.as_view(), name="api-stats-official"),
]
