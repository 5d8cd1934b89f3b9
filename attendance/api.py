"""REST endpoints of attendance (考勤) and leave (请销假)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from portal.validation import Text
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import selectors, services
from attendance.models import LeaveStatus
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.idempotency import idempotent
from portal.errors import ValidationFailed


class AttendanceRecordOutput(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    day = serializers.DateField()
    checked_in_at = serializers.DateTimeField()
    checked_out_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()


class BoardRowOutput(serializers.Serializer):
    username = serializers.CharField(source="profile.user.username")
    name = serializers.CharField(source="profile.display_name")
    badge = serializers.CharField(source="profile.badge")
    department = serializers.CharField(source="profile.department.code")
    on_duty = serializers.BooleanField(source="profile.on_duty")
    absent = serializers.BooleanField(source="profile.absent")
    state = serializers.ChoiceField(choices=selectors.STATES)
    checked_in_at = serializers.DateTimeField(source="record.checked_in_at", allow_null=True, default=None)
    checked_out_at = serializers.DateTimeField(source="record.checked_out_at", allow_null=True, default=None)


class BoardOutput(serializers.Serializer):
    day = serializers.DateField()
    results = BoardRowOutput(many=True)


class CheckInApi(APIView):
    """签到: the caller checks in at his post (on duty; late after WORKDAY_START)."""

    @extend_schema(operation_id="attendance_check_in", request=None, responses={201: AttendanceRecordOutput})
    @idempotent
    def post(self, request):
        record = services.attendance_check_in(actor=request.user)
        return Response(AttendanceRecordOutput(record).data, status=status.HTTP_201_CREATED)


class CheckOutApi(APIView):
    """签退: the caller leaves his post (off duty)."""

    @extend_schema(operation_id="attendance_check_out", request=None, responses={200: AttendanceRecordOutput})
    def post(self, request):
        return Response(AttendanceRecordOutput(services.attendance_check_out(actor=request.user)).data)


class BoardApi(APIView):
    """The day's attendance: lateness and unexcused absence, for supervisors (all) and heads (their department)."""

    @extend_schema(operation_id="attendance_board",
                   parameters=[OpenApiParameter("day", str, description="YYYY-MM-DD (default: today)"),
                               OpenApiParameter("department", str)],
                   responses={200: BoardOutput})
    def get(self, request):
        within = selectors.board_scope(request.user, request.query_params.get("department", ""))
        day = _day(request.query_params.get("day"))
        rows = selectors.attendance_board(day, within=within)
        return Response(BoardOutput({"day": day, "results": rows}).data)


def _day(raw):
    if not raw:
        return timezone.localdate()
    field = serializers.DateField()
    try:
        return field.to_internal_value(raw)
    except serializers.ValidationError:
        raise ValidationFailed(fields={"day": ["YYYY-MM-DD"]}) from None


class LeaveOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(source="user.username")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    reason = serializers.CharField()
    status = serializers.ChoiceField(choices=LeaveStatus.choices)
    requested_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True, help_text="when the B post took over")
    ended_at = serializers.DateTimeField(allow_null=True, help_text="when the post came back (销假)")


class LeaveInput(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    reason = Text(max_length=300)


class LeaveApi(ObjectApi):
    """The caller's leave requests and those of the posts he manages."""

    output_serializer = LeaveOutput

    def visible(self, request):
        return selectors.leave_visible_to(request.user)


class LeaveListCreateApi(ObjectListApi, LeaveApi):
    """请假: the caller's requests and those of the posts he manages; a new request."""

    operation_id = "leave_list"
    query_parameters = [OpenApiParameter("status", str, description="one status, or several separated by commas")]

    def rows(self, request):
        qs = self.visible(request)
        if request.query_params.get("status"):
            qs = qs.filter(status__in=request.query_params["status"].split(","))
        return qs.order_by("-first_day", "-id")

    @extend_schema(operation_id="leave_create", request=LeaveInput, responses={201: LeaveOutput})
    @idempotent
    def post(self, request):
        data = LeaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        leave = services.leave_request(actor=request.user, **data.validated_data)
        return Response(LeaveOutput(leave).data, status=status.HTTP_201_CREATED)


class LeaveDetailApi(ObjectDetailApi, LeaveApi):
    operation_id = "leave_retrieve"


class LeaveActionApi(ObjectActionApi, LeaveApi):
    pass


class LeaveDecisionInput(serializers.Serializer):
    note = Text(required=False, allow_blank=True, default="")


class LeaveRefusalInput(serializers.Serializer):
    reason = Text()


class LeaveApproveApi(LeaveActionApi):
    """准假: a leave that has begun hands the post to its B post at once."""

    serializer_class = LeaveDecisionInput

    def act(self, request, obj, data):
        services.leave_approve(actor=request.user, leave_id=obj.pk, note=data["note"])


class LeaveRejectApi(LeaveActionApi):
    serializer_class = LeaveRefusalInput

    def act(self, request, obj, data):
        services.leave_reject(actor=request.user, leave_id=obj.pk, reason=data["reason"])


class LeaveCancelApi(LeaveActionApi):
    def act(self, request, obj, data):
        services.leave_cancel(actor=request.user, leave_id=obj.pk)
