"""One shape for the POST …/{id}/<action>/ endpoints of stages, cases, complaints and inquiries."""

from rest_framework import serializers, status
from rest_framework.response import Response

from portal.api.idempotency import idempotent
from portal.api.objects import ObjectApi


class ObjectActionApi(ObjectApi):
    """Find the object the caller may see (a 404 otherwise, ``find``), validate the body with
    ``serializer_class`` if the action takes one, ``act`` (the service checks permission and
    state: 403/409), then answer with the object as it now is (``show``). The schema
    (portal.api.schema.PortalAutoSchema) documents ``serializer_class`` as the request body
    (none when it is None) and ``output_serializer`` as the answer: it describes what
    ``show`` returns."""

    serializer_class: type[serializers.Serializer] | None = None
    success_status = status.HTTP_200_OK

    def act(self, request, obj, data: dict) -> None:
        raise NotImplementedError

    @idempotent
    def post(self, request, **kwargs):
        key = kwargs[self.lookup_url_kwarg]
        obj = self.find(request, key)
        data = {}
        if self.serializer_class is not None:
            serializer = self.serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.act(request, obj, data)
        return Response(self.show(request, self.find(request, key)), status=self.success_status)
