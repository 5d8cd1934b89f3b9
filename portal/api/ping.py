from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class PingOutput(serializers.Serializer):
    ok = serializers.BooleanField()


class PingApi(APIView):
    """Liveness: answers without touching the database or the cache. The benchmarks use it
    as the floor of what any request costs under the same server (BENCHMARKS.md)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=PingOutput)
    def get(self, request):
        return Response({"ok": True})
