from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.catalogue.selectors import published_items


class ServiceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    department = serializers.CharField(source="department.code")
    handling_type = serializers.CharField()
    statutory_days = serializers.IntegerField()
    committed_days = serializers.IntegerField()
    deemed_approval = serializers.BooleanField()
    fee = serializers.SerializerMethodField()
    legal_basis = serializers.CharField()
    conditions = serializers.CharField()
    procedure = serializers.CharField()
    window_authority = serializers.CharField()
    materials = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()

    def get_fee(self, item) -> dict:
        return {"amount": str(item.fee_amount), "basis": item.fee_basis}

    def get_materials(self, item) -> list[dict]:
        return [{"code": m.code, "name": m.name, "required": m.required, "description": m.description}
                for m in item.materials.all()]

    def get_stages(self, item) -> list[dict]:
        stages = list(item.stages.all())
        if not stages:
            return [{"department": item.department.code, "days": item.committed_days, "lead": True}]
        return [{"department": s.department.code, "days": s.days, "lead": s.lead} for s in stages]


class ServiceListApi(APIView):
    """公开目录: the published catalogue."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ServiceOutput(many=True))
    def get(self, request):
        return Response(ServiceOutput(published_items(), many=True).data)


class ServiceDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ServiceOutput)
    def get(self, request, code: str):
        return Response(ServiceOutput(get_object_or_404(published_items(), code=code)).data)
