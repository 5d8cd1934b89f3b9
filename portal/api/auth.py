from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.client import ScopedRateThrottle
from portal.cache import reachable as cache_reachable
from portal.errors import DomainError


class BadCredentials(DomainError):
    status = 400
    code = "invalid_credentials"


class TokenInput(serializers.Serializer):
    # No longer than a username can be: a longer one would reach the lockout table.
    username = serializers.CharField(max_length=get_user_model()._meta.get_field("username").max_length)
    password = serializers.CharField(trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class TokenApi(APIView):
    """POST {username, password} → {token}. Failures count towards the login lockout
    (django-axes), and the endpoint is rate limited."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=TokenInput, responses=TokenOutput)
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None or not user.is_active:
            if getattr(request._request, "axes_locked_out", False):
                raise Locked() if cache_reachable() else SignInUnavailable()
            raise BadCredentials(_("The username or password is wrong."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class SignInUnavailable(DomainError):
    """The lockout counts cannot be kept (the shared cache is unreachable): portal.lockout."""

    status = 503
    code = "unavailable"

    def __init__(self):
        super().__init__(_("Sign-in is unavailable for a moment; please try again shortly."))


class Locked(DomainError):
    status = 429
    code = "throttled"

    def __init__(self):
        super().__init__(_("Too many failed sign-in attempts; try again in 15 minutes."))
