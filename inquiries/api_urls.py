from django.urls import path

from inquiries import api

urlpatterns = [
    path("inquiries/", api.InquiryListCreateApi.as_view(), name="api-inquiries"),
    path("inquiries/<int:pk>/", api.InquiryDetailApi.as_view(), name="api-inquiry"),
    path("inquiries/<int:pk>/claim/", api.ClaimApi.as_view(), name="api-inquiry-claim"),
    path("inquiries/<int:pk>/refer/", api.ReferApi.as_view(), name="api-inquiry-refer"),
    path("inquiries/<int:pk>/acknowledge/", api.AcknowledgeApi.as_view(), name="api-inquiry-acknowledge"),
    path("inquiries/<int:pk>/answer/", api.AnswerApi.as_view(), name="api-inquiry-answer"),
    path("inquiries/<int:pk>/close/", api.CloseApi.as_view(), name="api-inquiry-close"),
    path("inquiries/<int:pk>/convert/", api.ConvertApi.as_view(), name="api-inquiry-convert"),
]
