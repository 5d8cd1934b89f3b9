"""REST endpoints of the staff directory (挂牌上岗, SPEC §6) and of A/B posts."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.validation import Text
from portal.pagination import page_params
from portal.organisation import selectors, services
from portal.organisation.models import CommitmentKind, ServiceCommitment, StaffProfile

DIRECTORY_MAX = 500


class StaffEntryOutput(serializers.Serializer):
    """What ``staff_entry`` renders (tests/api checks every answer against it)."""

    username = serializers.CharField()
    name = serializers.CharField()
    badge = serializers.CharField()
    department = serializers.CharField()
    window = serializers.CharField(allow_null=True, help_text="window number")
    on_duty = serializers.BooleanField()


class PostOutput(StaffEntryOutput):
    """What ``post_entry`` renders."""

    title = serializers.CharField(allow_blank=True)
    backup = serializers.CharField(allow_null=True)
    absent = serializers.BooleanField()
    absent_since = serializers.DateTimeField(allow_null=True)
    absence_note = serializers.CharField(allow_blank=True)
    moved = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()), required=False,
                                  help_text="what the hand-over moved: kind of work → ids")


class PostRefOutput(serializers.Serializer):
    center = serializers.CharField(help_text="service center code")
    window = serializers.CharField(help_text="window number")


class CommitmentOutput(serializers.Serializer):
    """服务承诺: a promise on quality or attitude, of an item or of a window post."""

    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=CommitmentKind.values, help_text="服务质量 or 服务态度")
    text = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True)
    service = serializers.CharField(allow_null=True, help_text="the item's code (a commitment of an item)")
    post = PostRefOutput(allow_null=True, help_text="the window post (a commitment of a post)")


def commitment_entry(commitment: ServiceCommitment) -> dict:
    return {
        "code": commitment.code, "kind": commitment.kind, "text": commitment.text, "text_en": commitment.text_en,
        "service": commitment.item.code if commitment.item_id else None,
        "post": {"center": commitment.window.center.code, "window": commitment.window.number}
        if commitment.window_id else None,
    }


def staff_entry(profile: StaffProfile, commitments: list | None = None) -> dict:
    """What anyone may know about an official: no e-mail, no phone; and, in the directory,
    the service commitments of his post (服务承诺, beside his badge)."""
    data = {
        "username": profile.user.get_username(),
        "name": profile.display_name,
        "badge": profile.badge,
        "department": profile.department.code,
        "window": profile.window.number if profile.window_id else None,
        "on_duty": profile.on_duty,
    }
    if commitments is not None:
        data["commitments"] = commitments
    return data


class StaffDirectoryEntryOutput(StaffEntryOutput):
    commitments = CommitmentOutput(many=True, help_text="服务承诺 of the official's window post")


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

    @extend_schema(parameters=[*[OpenApiParameter(name, str, required=False)
                                 for name in ("username", "badge", "department")],
                               OpenApiParameter("limit", int, description=f"at most {DIRECTORY_MAX} (the default)"),
                               OpenApiParameter("offset", int)],
                   responses=StaffDirectoryEntryOutput(many=True))
    def get(self, request):
        params = request.query_params
        qs = selectors.staff_directory(username=params.get("username", "").strip(),
                                       badge=params.get("badge", "").strip(),
                                       department=params.get("department", "").strip())
        limit, offset = page_params(params, max_limit=DIRECTORY_MAX)
        limit = min(DIRECTORY_MAX, limit if "limit" in params else DIRECTORY_MAX)
        offset = offset or 0
        profiles = list(qs[offset:offset + limit])
        # The posts' commitments in one query, whatever the page's size.
        by_post: dict[int, list] = {}
        for c in selectors.commitments_published().filter(window_id__in={p.window_id for p in profiles
                                                                          if p.window_id}):
            by_post.setdefault(c.window_id, []).append(commitment_entry(c))
        return Response([staff_entry(p, by_post.get(p.window_id, [])) for p in profiles])


class CommitmentListApi(APIView):
    """服务承诺制: the published commitments on quality and attitude, of every item and post, of
    one item (``service``) or of one official's post (``badge``). A complaint may name one as
    what was broken (POST /api/complaints/ ``commitment``)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(operation_id="commitments_list",
                   parameters=[OpenApiParameter("service", str, required=False, description="item code"),
                               OpenApiParameter("badge", str, required=False, description="official's badge")],
                   responses=CommitmentOutput(many=True))
    def get(self, request):
        params = request.query_params
        qs = selectors.commitments_published(service=params.get("service", "").strip(),
                                             badge=params.get("badge", "").strip())
        return Response([commitment_entry(c) for c in qs[:DIRECTORY_MAX]])


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
    note = Text(required=False, allow_blank=True, default="", max_length=200)


class BackupInput(serializers.Serializer):
    backup = Text(allow_null=True, allow_blank=True)


class OnDutyInput(serializers.Serializer):
    on_duty = serializers.BooleanField()


def _post_schema(request=None):
    return extend_schema_view(post=extend_schema(request=request, responses=PostOutput))


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
