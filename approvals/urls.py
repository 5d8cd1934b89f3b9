from django.urls import path

from approvals import projects_views, views

urlpatterns = [
    path("my/applications/", views.my_applications, name="my-applications"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_page, name="application-detail"),
    path("applications/<int:pk>/upload/", views.upload, name="application-upload"),
    path("applications/<int:pk>/act/<str:action>/", views.act, name="application-act"),
    path("applications/<int:pk>/documents/<int:doc_id>.pdf", views.document_pdf, name="application-document"),
    path("applications/<int:pk>/files/<int:file_id>/", views.material_file, name="application-file"),
    path("window/queue/", views.window_queue, name="window-queue"),
    path("window/intake/", views.walk_in, name="window-intake"),
    path("review/queue/", views.review_queue, name="review-queue"),
    path("stages/<int:pk>/", views.stage_page, name="stage-detail"),
    path("stages/<int:pk>/act/<str:action>/", views.stage_act, name="stage-act"),
    path("register/", views.register, name="register"),
    path("centers/<str:code>/figures/", views.center_figures, name="center-figures"),
    path("payments/simulator/<str:ref>/", views.payment_simulator, name="payment-simulator"),
    path("projects/", projects_views.project_list, name="project-list"),
    path("intermediaries/", projects_views.intermediary_figures, name="intermediary-figures"),
    path("key-projects/suggestions/", projects_views.project_suggestions, name="key-project-suggestions"),
    path("projects/new/", projects_views.project_new, name="project-new"),
    path("projects/<str:code>/", projects_views.project_page, name="project-detail"),
    path("projects/<str:code>/<str:action>/", projects_views.project_change, name="project-change"),
    path("pre-reviews/", projects_views.pre_review_queue, name="pre-review-queue"),
    path("pre-reviews/<int:pk>/answer/", projects_views.pre_review_answer, name="pre-review-answer"),
    path("applications/<int:pk>/pre-review/", projects_views.pre_review_request, name="pre-review-request"),
]
