from django.urls import path

from attendance import api

urlpatterns = [
    path("attendance/", api.BoardApi.as_view(), name="api-attendance"),
    path("attendance/check-in/", api.CheckInApi.as_view(), name="api-attendance-check-in"),
    path("attendance/check-out/", api.CheckOutApi.as_view(), name="api-attendance-check-out"),
    path("leave/", api.LeaveListCreateApi.as_view(), name="api-leave"),
    path("leave/<int:pk>/", api.LeaveDetailApi.as_view(), name="api-leave-detail"),
    path("leave/<int:pk>/approve/", api.LeaveApproveApi.as_view()),
    path("leave/<int:pk>/reject/", api.LeaveRejectApi.as_view()),
    path("leave/<int:pk>/cancel/", api.LeaveCancelApi.as_view()),
]
