"""One shape for the POST …/{id}/<action>/ endpoints of stages, cases, complaints and inquiries
(``ObjectActionApi``), and for the POST …/ that creates an object of a list (``ObjectCreateApi``)."""

from rest_framework import serializers, status
from rest_framework.response import Response

from portal.api.idempotency import idempotent
from portal.api.objects import ObjectApi


class ObjectActionApi(ObjectApi):
    """Find the object the caller may see (a 404 otherwise, ``find``), validate the body with
    ``serializer_class`` if the action takes one, ``act`` (the service checks permission and
    state: 403/409), then answer with the object as it now is (``reload``, ``show``). The schema
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
        return Response(self.show(request, self.reload(request, obj, key)), status=self.success_status)


class ObjectCreateApi(ObjectApi):
    """POST …/: validate the body with ``serializer_class``, ``create`` the object (the service
    checks permission: 403), then answer 201 with the new object as ``show_created`` renders it
    (by default ``output_serializer``). The schema documents ``serializer_class`` as the request
    body and ``output_serializer`` as the 201 answer; mixed with ``ObjectListApi``, the list's
    row is the created object's shape."""

    serializer_class: type[serializers.Serializer] | None = None

    def create(self, request, data: dict):
        raise NotImplementedError

    def show_created(self, request, obj) -> dict:
        return self.output_serializer(obj).data

    @idempotent
    def post(self, request):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.create(request, serializer.validated_data)
        return Response(self.show_created(request, obj), status=status.HTTP_201_CREATED)
