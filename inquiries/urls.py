from django.urls import path

from inquiries import views

urlpatterns = [
    path("inquiries/", views.inquiry_list, name="inquiry-list"),
    path("inquiries/ask/", views.ask, name="inquiry-ask"),
    path("inquiries/record/", views.record, name="inquiry-record"),
    path("inquiries/referred/", views.referred, name="inquiry-referred"),
    path("inquiries/<int:pk>/", views.detail, name="inquiry-detail"),
    path("inquiries/<int:pk>/act/<str:action>/", views.act, name="inquiry-act"),
]
