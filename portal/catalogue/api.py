from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnList
from rest_framework.views import APIView

from portal.catalogue.models import IntermediaryKind
from portal.catalogue.selectors import (catalogue_derived, published_catalogue, published_intermediaries,
                                        published_item)
from portal.errors import NotFound
from portal.organisation.api import CommitmentOutput


class FeeOutput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)
    basis = serializers.CharField(allow_blank=True)
    refund_on_denial = serializers.BooleanField(help_text="the fee is refunded when the application is denied")


class FeeBasisOutput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)
    basis = serializers.CharField(allow_blank=True)


class MaterialOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    description = serializers.CharField(allow_blank=True)


class ServiceStageOutput(serializers.Serializer):
    department = serializers.CharField()
    days = serializers.IntegerField()
    lead = serializers.BooleanField()


class IntermediaryServiceOutput(serializers.Serializer):
    """中介服务: testing, surveying or appraisal an approval needs, with its own limit and fee."""

    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=IntermediaryKind.choices)
    provider = serializers.CharField(help_text="the intermediary organisation")
    days = serializers.IntegerField(help_text="its own time limit (working days), outside the departments' limits")
    fee = serializers.SerializerMethodField()

    @extend_schema_field(FeeBasisOutput)
    def get_fee(self, service) -> dict:
        return {"amount": str(service.fee_amount), "basis": service.fee_basis}


class IntermediaryServiceListOutput(IntermediaryServiceOutput):
    services = serializers.SerializerMethodField(help_text="codes of the approvals it serves")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_services(self, service) -> list[str]:
        return [item.code for item in service.items.all()]


class ServiceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    department = serializers.CharField(source="department.code")
    handling_type = serializers.CharField()
    statutory_days = serializers.IntegerField()
    committed_days = serializers.IntegerField()
    deemed_approval = serializers.BooleanField()
    requires_site_inspection = serializers.BooleanField(
        help_text="现场踏勘: the chief representative cannot decide it at the window")
    fee = serializers.SerializerMethodField()
    legal_basis = serializers.CharField()
    conditions = serializers.CharField()
    procedure = serializers.CharField()
    window_authority = serializers.CharField()
    materials = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()
    intermediary_services = serializers.SerializerMethodField(help_text="中介服务 the item may need")
    commitments = serializers.SerializerMethodField(help_text="服务承诺 on quality and attitude for this item")

    @extend_schema_field(FeeOutput)
    def get_fee(self, item) -> dict:
        return {"amount": str(item.fee_amount), "basis": item.fee_basis, "refund_on_denial": item.fee_refund_on_denial}

    @extend_schema_field(MaterialOutput(many=True))
    def get_materials(self, item) -> list[dict]:
        return [{"code": m.code, "name": m.name, "required": m.required, "description": m.description}
                for m in item.materials.all()]

    @extend_schema_field(CommitmentOutput(many=True))
    def get_commitments(self, item) -> list[dict]:
        commitments = getattr(item, "published_commitments", None)
        if commitments is None:
            commitments = item.commitments.filter(published=True).order_by("order", "id")
        return [{"code": c.code, "kind": c.kind, "text": c.text, "text_en": c.text_en, "service": item.code,
                 "post": None} for c in commitments]

    @extend_schema_field(ServiceStageOutput(many=True))
    def get_stages(self, item) -> list[dict]:
        stages = list(item.stages.all())
        if not stages:
            return [{"department": item.department.code, "days": item.committed_days, "lead": True}]
        return [{"department": s.department.code, "days": s.days, "lead": s.lead} for s in stages]


    @extend_schema_field(IntermediaryServiceOutput(many=True))
    def get_intermediary_services(self, item) -> list[dict]:
        return IntermediaryServiceOutput(getattr(item, "published_intermediaries", []), many=True).data


class RenderedList(ReturnList):
    """A serialized list kept per process (catalogue_derived) with its JSON, rendered once."""

    def __init__(self, data: ReturnList):
        super().__init__(data, serializer=data.serializer)
        self.json = JSONRenderer().render(self)


class KeptJSONRenderer(JSONRenderer):
    """JSONRenderer writing a RenderedList's JSON as it was rendered (the same bytes): encoding
    the 56 items was half of GET /api/services/. Asked for indented JSON, it renders anew."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, RenderedList) and self.get_indent(accepted_media_type, renderer_context or {}) is None:
            return data.json
        return super().render(data, accepted_media_type, renderer_context)


class ServiceListApi(APIView):
    """公开目录: the published catalogue."""

    permission_classes = [AllowAny]
    renderer_classes = [KeptJSONRenderer if renderer is JSONRenderer else renderer
                        for renderer in api_settings.DEFAULT_RENDERER_CLASSES]

    @extend_schema(responses=ServiceOutput(many=True))
    def get(self, request):
        # Serialized and encoded once per process and catalogue version (serializing 56 items
        # was nine tenths of the call, then encoding them half of what was left).
        items = published_catalogue()
        return Response(catalogue_derived(items, ("api", get_language()),
                                          lambda: RenderedList(ServiceOutput(items, many=True).data)))


class ServiceDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ServiceOutput)
    def get(self, request, code: str):
        item = published_item(code)
        if item is None:
            raise NotFound()
        return Response(catalogue_derived(item, ("api", get_language()), lambda: ServiceOutput(item).data))


class IntermediaryServiceListApi(APIView):
    """GET /api/intermediary-services/: the published intermediary services (中介服务), each with
    its provider, time limit, fee and the approvals it serves."""

    permission_classes = [AllowAny]

    @extend_schema(responses=IntermediaryServiceListOutput(many=True))
    def get(self, request):
        return Response(IntermediaryServiceListOutput(published_intermediaries(), many=True).data)
