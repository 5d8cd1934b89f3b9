from django.urls import path

from portal.organisation import api

urlpatterns = [
    path("staff/", api.StaffDirectoryApi.as_view(), name="api-staff"),
    path("commitments/", api.CommitmentListApi.as_view(), name="api-commitments"),
    path("staff/<str:username>/absent/", api.MarkAbsentApi.as_view(), name="api-staff-absent"),
    path("staff/<str:username>/return/", api.MarkReturnedApi.as_view(), name="api-staff-return"),
    path("staff/<str:username>/backup/", api.BackupApi.as_view(), name="api-staff-backup"),
    path("staff/<str:username>/on-duty/", api.OnDutyApi.as_view(), name="api-staff-on-duty"),
]
