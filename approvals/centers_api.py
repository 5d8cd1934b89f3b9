"""REST endpoints of the three-level network (new, beside SPEC §6): the centers with the items
each publishes (public), and a center's figures rolled up its subtree (its supervisors)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import referrals, services
from approvals.api import ApplicantInput, ApplicationOutput, application_detail
from portal.api.idempotency import idempotent
from portal.errors import NotFound
from portal.organisation.models import ServiceCenter
from portal.validation import Text


class PublishedItemOutput(serializers.Serializer):
    service = serializers.CharField()
    referred_to = serializers.CharField(allow_null=True)


class CenterOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    level = serializers.CharField(help_text="county | township | village (三级)")
    items = PublishedItemOutput(many=True)


class CenterListApi(APIView):
    """GET /api/centers/: every center with its level, parent and the items it publishes
    ({service, referred_to}: a referred_to center decides what this one takes in, 上报)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: CenterOutput(many=True)})
    def get(self, request):
        return Response(referrals.centers_published())


class CenterCountsOutput(serializers.Serializer):
    """A center's figures with those of every center below it added in (referrals.center_figures)."""

    taken_in = serializers.IntegerField(help_text="applications taken in (online ones count for the root center)")
    decided = serializers.IntegerField(help_text="of those, decided: approved, denied or deemed approved")
    onsite = serializers.IntegerField(help_text="decided on site (现场办结)")
    onsite_rate = serializers.FloatField(allow_null=True, help_text="onsite / decided; null while none is decided")
    referred = serializers.IntegerField(help_text="referred up to the competent center (上报)")
    referred_late = serializers.IntegerField(help_text="referred up and past the referral's own clock")
    proxied = serializers.IntegerField(help_text="applied for by a proxy officer (代办)")


class CenterFiguresOutput(serializers.Serializer):
    center = serializers.CharField(help_text="center code")
    name = serializers.CharField()
    display_name = serializers.CharField(help_text="the name in the request's language")
    level = serializers.CharField(help_text="county | township | village (三级)")
    figures = CenterCountsOutput()


# The centers below, each in the same shape (分中心 roll-up): the serializer names itself.
CenterFiguresOutput._declared_fields["children"] = CenterFiguresOutput(many=True)


class CenterFiguresApi(APIView):
    """GET /api/centers/{code}/figures/: taken in, decided, decided on site (and the rate),
    referred up and referred up past their clock, for the center and rolled up from every
    center below it. A supervisor sees his center and those below it; others get 404."""

    @extend_schema(responses={200: CenterFiguresOutput})
    def get(self, request, code: str):
        center = ServiceCenter.objects.filter(code=code).first()
        if center is None or not referrals.may_see_center(request.user, center):
            raise NotFound()
        return Response(referrals.center_figures(center))


class ProxyApplicationApi(APIView):
    """POST /api/proxy-applications/ (代办): a proxy officer of a village proxy point opens an
    application for a citizen, free of charge, with the citizen's consent recorded
    (``proxy_consent``: how and when it was given); the application then runs as any other
    and shows who acted for whom (``proxy``)."""

    class ProxyApplicationInput(serializers.Serializer):
        service = Text()
        applicant = ApplicantInput()
        # Required: blank is refused by the service in its own words (no consent, no proxy).
        proxy_consent = Text(allow_blank=True, max_length=500,
                             help_text="the citizen's consent to the proxy: how and when it was given")

    @extend_schema(request=ProxyApplicationInput, responses={201: ApplicationOutput})
    @idempotent
    def post(self, request):
        data = self.ProxyApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not referrals.is_proxy_point(referrals.center_of(request.user)):
            raise NotFound()
        application = services.application_create(
            actor=request.user, service_code=data.validated_data["service"],
            applicant=services.ApplicantData(**data.validated_data["applicant"]),
            proxy_consent=data.validated_data["proxy_consent"])
        return Response(application_detail(application, request.user), status=status.HTTP_201_CREATED)
