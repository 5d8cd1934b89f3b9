from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from approvals import api as approvals_api
from approvals import review_api
from portal.api.auth import TokenApi
from portal.catalogue import api as catalogue_api

urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("services/", catalogue_api.ServiceListApi.as_view(), name="api-services"),
    path("services/<str:code>/", catalogue_api.ServiceDetailApi.as_view(), name="api-service"),
    path("applications/", approvals_api.ApplicationListCreateApi.as_view(), name="api-applications"),
    path("applications/<int:pk>/", approvals_api.ApplicationDetailApi.as_view(), name="api-application"),
    path("applications/<int:pk>/materials/", approvals_api.MaterialUploadApi.as_view()),
    path("applications/<int:pk>/materials/<int:file_id>/file/", approvals_api.MaterialFileApi.as_view()),
    path("applications/<int:pk>/submit/", approvals_api.SubmitApi.as_view()),
    path("applications/<int:pk>/correction-notice/", approvals_api.CorrectionNoticeApi.as_view()),
    path("applications/<int:pk>/resubmit/", approvals_api.ResubmitApi.as_view()),
    path("applications/<int:pk>/accept/", approvals_api.AcceptApi.as_view()),
    path("applications/<int:pk>/refuse/", approvals_api.RefuseApi.as_view()),
    path("applications/<int:pk>/withdraw/", approvals_api.WithdrawApi.as_view()),
    path("applications/<int:pk>/documents/<int:doc_id>/pdf/", approvals_api.DocumentPdfApi.as_view()),
    path("applications/<int:pk>/suspend/", review_api.SuspendApi.as_view()),
    path("applications/<int:pk>/resume/", review_api.ResumeApi.as_view()),
    path("applications/<int:pk>/extend/", review_api.ExtendApi.as_view()),
    path("applications/<int:pk>/decide-on-site/", review_api.DecideOnSiteApi.as_view()),
    path("applications/<int:pk>/hand-over/", review_api.HandOverApi.as_view()),
    path("stages/", review_api.StageListApi.as_view(), name="api-stages"),
    path("stages/<int:pk>/", review_api.StageDetailApi.as_view(), name="api-stage"),
    path("stages/<int:pk>/claim/", review_api.StageClaimApi.as_view()),
    path("stages/<int:pk>/approve/", review_api.StageApproveApi.as_view()),
    path("stages/<int:pk>/deny/", review_api.StageDenyApi.as_view()),
    path("stages/<int:pk>/request-correction/", review_api.StageRequestCorrectionApi.as_view()),
    path("alerts/", review_api.AlertListApi.as_view(), name="api-alerts"),
    path("register/", review_api.RegisterApi.as_view(), name="api-register"),
    path("track/<str:number>/", approvals_api.TrackApi.as_view(), name="api-track"),
    path("", include("complaints.api_urls")),
    path("accountability/", include("accountability.api_urls")),
    path("stats/", include("portal.supervision.api_urls")),
    path("", include("portal.inquiries.api_urls")),
    path("", include("portal.organisation.api_urls")),
]
