from django.urls import path

from appraisal import views

urlpatterns = [
    path("appraisal/", views.campaign_list, name="appraisal-campaigns"),
    path("appraisal/<int:pk>/", views.campaign_page, name="appraisal-campaign"),
    path("appraisal/<int:pk>/act/<str:action>/", views.campaign_act, name="appraisal-act"),
]
