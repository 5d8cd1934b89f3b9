from django.urls import path

from attendance import views

urlpatterns = [
    path("attendance/", views.attendance_page, name="attendance"),
    path("attendance/act/<str:action>/", views.attendance_act, name="attendance-act"),
    path("attendance/leave/<int:pk>/<str:action>/", views.leave_act, name="leave-act"),
]
