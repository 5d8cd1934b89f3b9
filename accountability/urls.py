from django.urls import path

from accountability import escalation_views, views

urlpatterns = [
    path("accountability/cases/", views.case_list, name="case-list"),
    path("accountability/cases/new/", views.case_new, name="case-new"),
    path("accountability/cases/<int:pk>/", views.case_page, name="case-detail"),
    path("accountability/cases/<int:pk>/act/<str:action>/", views.case_act, name="case-act"),
    path("accountability/proposals/", escalation_views.proposal_list, name="proposal-list"),
    path("accountability/proposals/<int:pk>/act/<str:action>/", escalation_views.proposal_act, name="proposal-act"),
    path("typical-cases/", views.typical_cases, name="typical-cases"),
]
