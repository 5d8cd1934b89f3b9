"""API paths of complaints and ratings, included under /api/ by portal.api.urls."""

from django.urls import path

from complaints import api, evaluation_api, rectification_api

urlpatterns = [
    path("complaints/", api.ComplaintListCreateApi.as_view(), name="api-complaints"),
    path("complaints/track/<str:number>/", api.TrackApi.as_view(), name="api-complaint-track"),
    path("complaints/rectification-reports/", rectification_api.RectificationReportListApi.as_view(),
         name="api-rectification-reports"),
    path("complaints/rectification-reports/<int:pk>/", rectification_api.RectificationReportDetailApi.as_view(),
         name="api-rectification-report"),
    path("complaints/rectification-reports/<int:pk>/submit/",
         rectification_api.RectificationReportSubmitApi.as_view()),
    path("complaints/<int:pk>/", api.ComplaintDetailApi.as_view(), name="api-complaint"),
    path("complaints/<int:pk>/accept/", api.AcceptApi.as_view()),
    path("complaints/<int:pk>/refuse/", api.RefuseApi.as_view()),
    path("complaints/<int:pk>/assign/", api.AssignApi.as_view()),
    path("complaints/<int:pk>/conclude/", api.ConcludeApi.as_view()),
    path("complaints/<int:pk>/reply/", api.ReplyApi.as_view()),
    path("complaints/<int:pk>/feedback/", api.FeedbackApi.as_view()),
    path("applications/<int:pk>/evaluation/", evaluation_api.ApplicationEvaluationApi.as_view(),
         name="api-application-evaluation"),
    path("evaluations/", evaluation_api.EvaluationListApi.as_view(), name="api-evaluations"),
    path("evaluations/summary/", evaluation_api.SummaryApi.as_view(), name="api-evaluation-summary"),
    path("evaluations/follow-ups/", evaluation_api.FollowUpListApi.as_view(), name="api-follow-ups"),
    path("evaluations/follow-ups/<int:pk>/complete/", evaluation_api.FollowUpCompleteApi.as_view()),
    path("evaluations/<int:pk>/", evaluation_api.EvaluationDetailApi.as_view(), name="api-evaluation"),
    path("evaluations/<int:pk>/appeal/", evaluation_api.AppealApi.as_view()),
    path("evaluations/<int:pk>/strike/", evaluation_api.StrikeApi.as_view()),
    path("evaluations/<int:pk>/dismiss-appeal/", evaluation_api.DismissAppealApi.as_view()),
]
