from django.urls import path

from appraisal import api

urlpatterns = [
    path("campaigns/", api.CampaignListCreateApi.as_view(), name="api-campaigns"),
    path("campaigns/<int:pk>/", api.CampaignDetailApi.as_view(), name="api-campaign"),
    path("campaigns/<int:pk>/results/", api.CampaignResultsApi.as_view(), name="api-campaign-results"),
    path("campaigns/<int:pk>/responses/", api.ResponseCreateApi.as_view(), name="api-campaign-responses"),
    path("campaigns/<int:pk>/publish/", api.CampaignPublishApi.as_view()),
    path("campaigns/<int:pk>/reply/", api.CampaignReplyApi.as_view()),
    path("monitoring-points/", api.DesignationListCreateApi.as_view(), name="api-monitoring-points"),
]
