from django.urls import path

from accountability import api

urlpatterns = [
    path("cases/", api.CaseListCreateApi.as_view(), name="api-cases"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api-case"),
    path("cases/<int:pk>/start-investigation/", api.StartInvestigationApi.as_view()),
    path("cases/<int:pk>/decide/", api.DecideApi.as_view()),
    path("cases/<int:pk>/notify/", api.NotifyApi.as_view()),
    path("cases/<int:pk>/appeal/", api.AppealApi.as_view()),
    path("cases/<int:pk>/resolve-appeal/", api.ResolveAppealApi.as_view()),
    path("typical-cases/", api.TypicalCaseListApi.as_view(), name="api-typical-cases"),
]
