from django.urls import path

from portal.organisation import views

urlpatterns = [
    path("staff/", views.directory, name="staff-directory"),
    path("staff/work/", views.my_work, name="staff-work"),
    path("staff/posts/", views.post_list, name="staff-posts"),
    path("staff/posts/<str:username>/<str:action>/", views.post_act, name="staff-post-act"),
    path("staff/<str:badge>/", views.badge_page, name="staff-badge"),
]
