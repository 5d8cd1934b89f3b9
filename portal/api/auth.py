from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.errors import DomainError


class BadCredentials(DomainError):
    status = 400
    code = "invalid_credentials"


class TokenApi(APIView):
    """POST {username, password} → {token}. Failures count towards the login lockout
    (django-axes), and the endpoint is rate limited."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    class Input(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(trim_whitespace=False)

    @extend_schema(request=Input, responses=inline_serializer("Token", {"token": serializers.CharField()}))
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None or not user.is_active:
            if getattr(request._request, "axes_locked_out", False):
                raise Locked()
            raise BadCredentials(_("The username or password is wrong."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class Locked(DomainError):
    status = 429
    code = "throttled"

    def __init__(self):
        super().__init__(_("Too many failed sign-in attempts; try again in 15 minutes."))
