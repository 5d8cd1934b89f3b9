"""REST endpoints of appraisal campaigns (评议) and designated respondents (监测点企业)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from portal.validation import Text
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from appraisal import selectors, services
from appraisal.models import CampaignStatus, DesignatedRespondent, RespondentKind
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.idempotency import idempotent
from portal.errors import NotFound, PermissionDenied


class QuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class CampaignOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    department = serializers.CharField(source="department.code")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=CampaignStatus.choices)
    questions = QuestionOutput(many=True, source="questions.all")
    published_at = serializers.DateTimeField(allow_null=True)
    reply = serializers.CharField(help_text="书面答复 of the department's principal")
    replied_by = serializers.CharField(source="replied_by.username", allow_null=True, default=None)
    replied_at = serializers.DateTimeField(allow_null=True)


class KindResultOutput(serializers.Serializer):
    answers = serializers.IntegerField()
    average = serializers.FloatField()
    satisfied_rate = serializers.FloatField()


class QuestionResultOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    answers = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="1 (very dissatisfied) … 5 (very satisfied)")
    satisfied_rate = serializers.FloatField(allow_null=True, help_text="share of scores 4 and 5")
    by_kind = serializers.DictField(child=KindResultOutput())


class ResultsOutput(serializers.Serializer):
    campaign = CampaignOutput()
    responses = serializers.IntegerField()
    responses_by_kind = serializers.DictField(child=serializers.IntegerField())
    questions = QuestionResultOutput(many=True)


class CampaignInput(serializers.Serializer):
    title = Text(multiline=False, max_length=200)
    department = Text()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    questions = serializers.ListField(child=Text(max_length=300), min_length=1, max_length=30)


class CampaignAnswerInput(serializers.Serializer):
    question = serializers.IntegerField()
    score = serializers.IntegerField(min_value=1, max_value=5)


class ResponseInput(serializers.Serializer):
    answers = CampaignAnswerInput(many=True)
    comment = Text(required=False, allow_blank=True, default="", max_length=2000)


class ResponseOutput(serializers.Serializer):
    campaign = serializers.CharField(source="campaign.number")
    kind = serializers.ChoiceField(choices=RespondentKind.choices)
    submitted_at = serializers.DateTimeField()


class ReplyInput(serializers.Serializer):
    text = Text(max_length=10000)


class CampaignApi(ObjectApi):
    """The campaigns (all public)."""

    output_serializer = CampaignOutput

    def visible(self, request):
        return selectors.campaigns()


class CampaignListCreateApi(ObjectListApi, CampaignApi):
    """评议 campaigns (public list); supervisors launch one."""

    operation_id = "campaigns_list"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def rows(self, request):
        return self.visible(request).order_by("-opens_at", "-id")

    @extend_schema(operation_id="campaigns_create", request=CampaignInput, responses={201: CampaignOutput})
    @idempotent
    def post(self, request):
        data = CampaignInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        campaign = services.campaign_launch(actor=request.user, title=v["title"], department_code=v["department"],
                                            opens_at=v["opens_at"], closes_at=v["closes_at"],
                                            questions=v["questions"])
        return Response(self.show(request, self.find(request, campaign.pk)), status=status.HTTP_201_CREATED)


class CampaignDetailApi(ObjectDetailApi, CampaignApi):
    permission_classes = [AllowAny]
    operation_id = "campaigns_retrieve"


class CampaignResultsApi(CampaignApi):
    """评议结果: public once published; the supervisors see them as they come in."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="campaigns_results", responses={200: ResultsOutput})
    def get(self, request, pk: int):
        campaign = self.find(request, pk)
        if not selectors.results_visible(request.user, campaign):
            raise NotFound()
        return Response(ResultsOutput({"campaign": campaign, **selectors.campaign_results(campaign)}).data)


class ResponseCreateApi(CampaignApi):
    """网上评议: the signed-in public, monitoring-point enterprises and representatives answer once."""

    @extend_schema(operation_id="campaigns_respond", request=ResponseInput, responses={201: ResponseOutput})
    @idempotent
    def post(self, request, pk: int):
        campaign = self.find(request, pk)
        data = ResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        scores: dict[int, int] = {}
        for answer in data.validated_data["answers"]:
            if answer["question"] in scores:
                scores = {}
                break
            scores[answer["question"]] = answer["score"]
        response = services.response_submit(actor=request.user, campaign_id=campaign.pk, scores=scores,
                                            comment=data.validated_data["comment"])
        return Response(ResponseOutput(response).data, status=status.HTTP_201_CREATED)


class CampaignActionApi(ObjectActionApi, CampaignApi):
    pass


class CampaignPublishApi(CampaignActionApi):
    def act(self, request, obj, data):
        services.campaign_publish(actor=request.user, campaign_id=obj.pk)


class CampaignReplyApi(CampaignActionApi):
    """书面答复 by the department's principal (主要负责人)."""

    serializer_class = ReplyInput

    def act(self, request, obj, data):
        services.campaign_reply(actor=request.user, campaign_id=obj.pk, text=data["text"])


class DesignationOutput(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    kind = serializers.ChoiceField(choices=RespondentKind.choices)
    organisation = serializers.CharField()
    credit_code = serializers.CharField()
    designated_at = serializers.DateTimeField()


# The kinds a supervisor designates (the public needs no designation).
DESIGNATED_KINDS = [(k.value, k.label) for k in (RespondentKind.MONITORING_POINT, RespondentKind.REPRESENTATIVE)]


class DesignationInput(serializers.Serializer):
    username = Text()
    kind = serializers.ChoiceField(choices=DESIGNATED_KINDS)
    organisation = Text(multiline=False, max_length=200)
    credit_code = Text(required=False, allow_blank=True, default="", max_length=18)


class DesignationListCreateApi(APIView):
    """监测点企业 and representatives (supervisors only)."""

    @extend_schema(operation_id="monitoring_points_list", responses={200: DesignationOutput(many=True)})
    def get(self, request):
        if not services.runs_campaigns(request.user):
            raise PermissionDenied()
        qs = DesignatedRespondent.objects.select_related("user").order_by("kind", "organisation")
        return Response(DesignationOutput(qs, many=True).data)

    @extend_schema(operation_id="monitoring_points_create", request=DesignationInput,
                   responses={201: DesignationOutput})
    @idempotent
    def post(self, request):
        data = DesignationInput(data=request.data)
        data.is_valid(raise_exception=True)
        designation = services.respondent_designate(actor=request.user, **data.validated_data)
        return Response(DesignationOutput(designation).data, status=status.HTTP_201_CREATED)
