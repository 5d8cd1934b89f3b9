"""Pages of complaints and ratings, included at the site root by portal.urls."""

from django.urls import path

from complaints import views

urlpatterns = [
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/track/", views.complaint_track, name="complaint-track"),
    path("complaints/track/feedback/", views.complaint_track_feedback, name="complaint-track-feedback"),
    path("my/complaints/", views.my_complaints, name="my-complaints"),
    path("complaints/rectification/", views.rectification_list, name="rectification-list"),
    path("complaints/rectification/<int:pk>/", views.rectification_page, name="rectification-detail"),
    path("discipline/complaints/", views.complaint_queue, name="complaint-queue"),
    path("discipline/complaints/export.csv", views.complaint_export, name="complaint-export"),
    path("discipline/complaints/<int:pk>/", views.complaint_work, name="complaint-work"),
    path("discipline/complaints/<int:pk>/act/<str:action>/", views.complaint_act, name="complaint-act"),
    path("applications/<int:pk>/evaluate/", views.evaluate, name="application-evaluate"),
    path("evaluations/", views.ratings, name="ratings"),
    path("evaluations/follow-ups/", views.follow_ups, name="follow-up-list"),
    path("evaluations/follow-ups/<int:pk>/complete/", views.follow_up_complete, name="follow-up-complete"),
    path("evaluations/<int:pk>/act/<str:action>/", views.evaluation_act, name="evaluation-act"),
]
