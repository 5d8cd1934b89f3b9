"""REST endpoints of the staff directory (挂牌上岗, SPEC §6) and of A/B posts."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.errors import ValidationFailed
from portal.organisation import selectors, services
from portal.organisation.models import StaffProfile

DIRECTORY_MAX = 500


def staff_entry(profile: StaffProfile) -> dict:
    """What anyone may know about an official: no e-mail, no phone."""
    return {
        "username": profile.user.get_username(),
        "name": profile.display_name,
        "badge": profile.badge,
        "department": profile.department.code,
        "window": profile.window.number if profile.window_id else None,
        "on_duty": profile.on_duty,
    }


def post_entry(profile: StaffProfile, moved: dict | None = None) -> dict:
    """A post as its managers see it: the public entry, the B post and the absence."""
    data = staff_entry(profile)
    data.update({
        "title": profile.title,
        "backup": profile.backup.user.get_username() if profile.backup_id else None,
        "absent": profile.absent,
        "absent_since": timezone.localtime(profile.absent_since).isoformat(timespec="seconds")
        if profile.absent_since else None,
        "absence_note": profile.absence_note,
    })
    if moved is not None:
        data["moved"] = moved
    return data


class StaffDirectoryApi(APIView):
    """挂牌上岗: the public directory, by username, badge or department."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(parameters=[OpenApiParameter(name, str, required=False)
                               for name in ("username", "badge", "department")], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        params = request.query_params
        qs = selectors.staff_directory(username=params.get("username", "").strip(),
                                       badge=params.get("badge", "").strip(),
                                       department=params.get("department", "").strip())
        try:
            offset = max(0, int(params.get("offset", 0)))
            limit = min(DIRECTORY_MAX, max(1, int(params.get("limit", DIRECTORY_MAX))))
        except ValueError:
            raise ValidationFailed(fields={"limit": [_("limit and offset are whole numbers.")]}) from None
        return Response([staff_entry(p) for p in qs[offset:offset + limit]])


class PostActionApi(APIView):
    """POST /api/staff/{username}/<action>/: parse, call the service, show the post."""

    input_class = None

    def post(self, request, username: str):
        data = {}
        if self.input_class is not None:
            serializer = self.input_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        profile, moved = self.act(request, username, data)
        profile = selectors.staff_directory(username=username).get()
        return Response(post_entry(profile, moved))


class AbsenceInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class BackupInput(serializers.Serializer):
    backup = serializers.CharField(allow_null=True, allow_blank=True)


class OnDutyInput(serializers.Serializer):
    on_duty = serializers.BooleanField()


def _post_schema(request=None):
    return extend_schema_view(post=extend_schema(request=request, responses={200: OpenApiTypes.OBJECT}))


@_post_schema(AbsenceInput)
class MarkAbsentApi(PostActionApi):
    input_class = AbsenceInput

    def act(self, request, username, data):
        handover = services.staff_mark_absent(actor=request.user, username=username, note=data["note"])
        return handover.profile, handover.moved


@_post_schema()
class MarkReturnedApi(PostActionApi):
    def act(self, request, username, data):
        handover = services.staff_mark_returned(actor=request.user, username=username)
        return handover.profile, handover.moved


@_post_schema(BackupInput)
class BackupApi(PostActionApi):
    input_class = BackupInput

    def act(self, request, username, data):
        return services.staff_backup_set(actor=request.user, username=username,
                                         backup_username=data["backup"] or None), None


@_post_schema(OnDutyInput)
class OnDutyApi(PostActionApi):
    input_class = OnDutyInput

    def act(self, request, username, data):
        return services.staff_on_duty_set(actor=request.user, username=username, on_duty=data["on_duty"]), None
