from django.urls import path

from accountability import api, escalation_api

urlpatterns = [
    path("cases/", api.CaseListCreateApi.as_view(), name="api-cases"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api-case"),
    path("cases/<int:pk>/start-investigation/", api.StartInvestigationApi.as_view()),
    path("cases/<int:pk>/decide/", api.DecideApi.as_view()),
    path("cases/<int:pk>/notify/", api.NotifyApi.as_view()),
    path("cases/<int:pk>/appeal/", api.AppealApi.as_view()),
    path("cases/<int:pk>/resolve-appeal/", api.ResolveAppealApi.as_view()),
    path("responsible-persons/", escalation_api.ResponsiblePersonsListApi.as_view(),
         name="api-responsible-persons"),
    path("responsible-persons/<str:code>/", escalation_api.ResponsiblePersonsDetailApi.as_view()),
    path("proposals/", escalation_api.ProposalListApi.as_view(), name="api-proposals"),
    path("proposals/<int:pk>/", escalation_api.ProposalDetailApi.as_view(), name="api-proposal"),
    path("proposals/<int:pk>/confirm/", escalation_api.ProposalConfirmApi.as_view()),
    path("proposals/<int:pk>/dismiss/", escalation_api.ProposalDismissApi.as_view()),
    path("undecided/", escalation_api.UndecidedCaseListApi.as_view(), name="api-undecided-cases"),
    path("typical-cases/", api.TypicalCaseListApi.as_view(), name="api-typical-cases"),
]
