"""Write operations on staff posts: on duty (挂牌上岗), B posts and absence (AB岗工作制).

Every service is keyword-only, runs in one transaction, locks the profiles it
changes and writes the audit trail; notifications go to the outbox.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit.services import audit_log
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from portal.locking import for_update
from portal.notifications.outbox import Message, enqueue
from portal.organisation import posts
from portal.organisation.models import StaffProfile
from portal.organisation.selectors import may_manage_posts


@dataclass(frozen=True)
class Handover:
    """What an absence or a return moved: the profile and the item ids by kind."""

    profile: StaffProfile
    moved: dict[str, list[int]]

    @property
    def counts(self) -> dict[str, int]:
        return posts.routing_counts(self.moved)


def _profile_id(username: str) -> int:
    profile_id = StaffProfile.objects.filter(user__username=username).values_list("pk", flat=True).first()
    if profile_id is None:
        raise NotFound(_("There is no official with this username."))
    return profile_id


def _lock(profile_id: int) -> StaffProfile:
    # Only what cannot change under the lock is joined (the B post is read after it).
    return for_update(StaffProfile.objects.all()).select_related("user").get(pk=profile_id)


def _require_manager(actor, profile: StaffProfile) -> None:
    if not may_manage_posts(actor, profile.department_id):
        raise PermissionDenied(_("Only the head of the department or a supervisor manages this post."))


def _require_self_or_manager(actor, profile: StaffProfile) -> None:
    """The official reports his own presence; his head or a supervisor may do it for him."""
    if actor.pk != profile.user_id:
        _require_manager(actor, profile)


def _message(user, event: str, subject: str, body: str) -> Message:
    return Message(event=event, subject=subject, body=body, email=user.email, user_id=user.pk,
                   ref=user.get_username())


def staff_on_duty_set(*, actor, username: str, on_duty: bool) -> StaffProfile:
    """挂牌上岗: the official himself, his head or a supervisor marks him on or off duty."""
    with transaction.atomic():
        profile = _lock(_profile_id(username))
        _require_self_or_manager(actor, profile)
        if on_duty and profile.absent:
            raise StateConflict(_("This official is marked absent; mark him returned instead."), code="absent")
        if profile.on_duty == on_duty:
            return profile
        profile.on_duty = on_duty
        profile.save(update_fields=["on_duty"])
        audit_log(actor=actor, obj=profile, action="on_duty" if on_duty else "off_duty",
                  from_status="off_duty" if on_duty else "on_duty", to_status="on_duty" if on_duty else "off_duty",
                  note=profile.badge)
    return profile


def staff_backup_set(*, actor, username: str, backup_username: str | None) -> StaffProfile:
    """AB岗工作制: the head names the B post of a post of his department (or clears it)."""
    with transaction.atomic():
        profile = _lock(_profile_id(username))
        _require_manager(actor, profile)
        backup = None
        if backup_username:
            backup = StaffProfile.objects.select_related("user").filter(user__username=backup_username).first()
            if backup is None:
                raise ValidationFailed(_("There is no official with this username."),
                                       fields={"backup": [_("Unknown official.")]})
            if backup.pk == profile.pk:
                raise ValidationFailed(_("A post cannot be its own B post."),
                                       fields={"backup": [_("Choose a colleague.")]})
            if backup.department_id != profile.department_id:
                raise ValidationFailed(_("The B post must be an official of the same department."),
                                       fields={"backup": [_("Choose a colleague of the same department.")]})
        if profile.absent:
            raise StateConflict(_("%(name)s is absent and covered by the current B post; change it after the "
                                  "return.") % {"name": profile.display_name}, code="absent")
        before = profile.backup.user.get_username() if profile.backup_id else ""
        profile.backup = backup
        profile.save(update_fields=["backup"])
        audit_log(actor=actor, obj=profile, action="backup_set", from_status=before,
                  to_status=backup.user.get_username() if backup else "", note=profile.badge)
    return profile


def staff_mark_absent(*, actor, username: str, note: str = "") -> Handover:
    """AB岗工作制: A is away (marked by his head, a supervisor, or himself). His open
    intake queue, stages and inquiries go to his B post, and so does every new
    assignment until he returns. A and B cannot both be absent; no deadline moves."""
    now = timezone.now()
    with transaction.atomic():
        profile_id = _profile_id(username)
        backup_id = StaffProfile.objects.filter(pk=profile_id).values_list("backup_id", flat=True).first()
        # Lock A, his B and everyone A covers, in id order: marking B absent locks the same rows.
        locked = {p.pk: p for p in for_update(StaffProfile.objects.all()).select_related(
            "user").filter(
            Q(pk=profile_id) | Q(pk=backup_id) | Q(backup_id=profile_id)).order_by("pk")}
        profile = locked[profile_id]
        _require_self_or_manager(actor, profile)
        if profile.backup_id != backup_id:
            raise StateConflict(_("The B post changed meanwhile; try again."), code="conflict")
        if profile.absent:
            raise StateConflict(_("%(name)s is already marked absent.") % {"name": profile.display_name},
                                code="already_absent")
        covered = [p for p in locked.values() if p.backup_id == profile.pk and p.absent]
        if covered:
            raise StateConflict(_("%(name)s is covering for %(other)s, who is absent: A and B cannot both be "
                                  "absent.") % {"name": profile.display_name, "other": covered[0].display_name},
                                code="both_absent")
        if profile.backup_id is None:
            raise StateConflict(_("Name a B post for %(name)s first: nobody would take over the work.")
                                % {"name": profile.display_name}, code="no_backup")
        backup = locked[backup_id]
        if backup.absent:
            raise StateConflict(_("The B post %(name)s is absent too: A and B cannot both be absent.")
                                % {"name": backup.display_name}, code="both_absent")
        profile.absent, profile.absent_since, profile.absence_note = True, now, note.strip()[:200]
        profile.on_duty = False
        profile.save(update_fields=["absent", "absent_since", "absence_note", "on_duty"])
        moved = posts.work_route_to_backup(absentee=profile.user, holder=backup.user, actor=actor, now=now)
        counts = posts.routing_counts(moved)
        audit_log(actor=actor, obj=profile, action="mark_absent", from_status="present", to_status="absent",
                  note=profile.absence_note, at=now,
                  data={"backup": backup.user.get_username(), "routed": counts})
        with translation.override(settings.LANGUAGE_CODE):
            enqueue([_message(
                backup.user, "backup_covering",
                _("You cover for %(name)s (A/B post)") % {"name": profile.display_name},
                _("%(name)s (badge %(badge)s) is absent. Their open work is now in your queue: %(count)d items. "
                  "New assignments for them come to you until they return.")
                % {"name": profile.display_name, "badge": profile.badge, "count": sum(counts.values())})])
    return Handover(profile=profile, moved=moved)


def staff_mark_returned(*, actor, username: str) -> Handover:
    """AB岗工作制: A is back. What was routed to B while he was away and is still open
    with B comes back to him; the rest stays where it was finished or reassigned."""
    now = timezone.now()
    with transaction.atomic():
        profile = _lock(_profile_id(username))
        _require_self_or_manager(actor, profile)
        if not profile.absent:
            raise StateConflict(_("%(name)s is not marked absent.") % {"name": profile.display_name},
                                code="not_absent")
        moved = posts.work_return(absentee=profile.user, actor=actor, now=now)
        profile.absent, profile.absent_since, profile.absence_note = False, None, ""
        profile.on_duty = True
        profile.save(update_fields=["absent", "absent_since", "absence_note", "on_duty"])
        counts = posts.routing_counts(moved)
        audit_log(actor=actor, obj=profile, action="mark_returned", from_status="absent", to_status="present",
                  at=now, data={"returned": counts})
        with translation.override(settings.LANGUAGE_CODE):
            enqueue([_message(
                profile.user, "backup_returned", _("Welcome back: your work is in your queue again"),
                _("%(count)d open items your B post held for you are back in your queue.")
                % {"count": sum(counts.values())})])
    return Handover(profile=profile, moved=moved)
