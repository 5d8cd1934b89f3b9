from django.urls import path

from supervision import inspection_views, report_views, views

urlpatterns = [
    path("supervision/", views.dashboard, name="supervision-dashboard"),
    path("supervision/departments/<str:code>/", views.department_page, name="supervision-department"),
    path("supervision/departments/<str:code>/stages/<str:kind>/", views.department_stages,
         name="supervision-department-stages"),
    path("supervision/officials/<str:username>/", views.official_page, name="supervision-official"),
    path("supervision/reports/monthly/", report_views.monthly_report_page, name="supervision-monthly-report"),
    path("supervision/alerts/", views.alerts_page, name="supervision-alerts"),
    path("supervision/inspections/", inspection_views.inspection_list, name="inspection-list"),
    path("supervision/inspections/<int:pk>/", inspection_views.inspection_page, name="inspection-detail"),
    path("supervision/inspections/findings/<int:pk>/open-case/", inspection_views.finding_open_case,
         name="inspection-open-case"),
    path("supervision/export.csv", views.export_csv, name="supervision-export"),
    path("statistics/", views.public_statistics, name="public-statistics"),
    path("statistics/<str:code>/", views.public_department, name="public-statistics-department"),
]
