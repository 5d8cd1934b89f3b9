from django.urls import path

from portal.supervision import views

urlpatterns = [
    path("supervision/", views.dashboard, name="supervision-dashboard"),
    path("supervision/departments/<str:code>/", views.department_page, name="supervision-department"),
    path("supervision/departments/<str:code>/stages/<str:kind>/", views.department_stages,
         name="supervision-department-stages"),
    path("supervision/officials/<str:username>/", views.official_page, name="supervision-official"),
    path("supervision/alerts/", views.alerts_page, name="supervision-alerts"),
    path("supervision/export.csv", views.export_csv, name="supervision-export"),
    path("statistics/", views.public_statistics, name="public-statistics"),
    path("statistics/<str:code>/", views.public_department, name="public-statistics-department"),
]
