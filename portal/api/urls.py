from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.api.auth import TokenApi
from portal.api.ping import PingApi
from portal.catalogue import api as catalogue_api

urlpatterns = [
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("ping/", PingApi.as_view(), name="api-ping"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's script comes from a second request (no inline script); its page keeps one
    # inline <style> block, so this page alone allows inline styles.
    path("docs/", csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
         name="api-docs"),
    path("services/", catalogue_api.ServiceListApi.as_view(), name="api-services"),
    path("services/<str:code>/", catalogue_api.ServiceDetailApi.as_view(), name="api-service"),
    path("intermediary-services/", catalogue_api.IntermediaryServiceListApi.as_view(), name="api-intermediary-services"),
]
