"""上报事项负责代理制 and the three-level network (seed 001 lines 103, 403, 409): where an
application was taken in, whether that center publishes the item, the referral up to the
competent center with its named official and own clock, and the hand-over of the result at
the window that took it in."""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import green_channel
from approvals.models import DECIDED_OUTCOMES, Application
from centers.models import CenterLevel, CenterTier, ItemPublication, Referral
from portal.api.timestamps import iso
from portal.audit.services import audit_log
from portal.errors import PermissionDenied, ValidationFailed
from portal.organisation import roles
from portal.organisation.models import ServiceCenter, StaffProfile
from portal.prepared import PreparedQuery
from portal.workcalendar.calendar import get_work_calendar


def center_of(user) -> ServiceCenter | None:
    """The center a member of staff works at: his window's, else his department's."""
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return None
    return profile.window.center if profile.window_id else profile.department.center


def is_lower_center(center: ServiceCenter | None) -> bool:
    return center is not None and CenterTier.objects.filter(
        center=center, level__in=[CenterLevel.TOWNSHIP, CenterLevel.VILLAGE]).exists()


def is_proxy_point(center: ServiceCenter | None) -> bool:
    """便民服务代办点: a village point whose officers apply on citizens' behalf."""
    return center is not None and CenterTier.objects.filter(center=center, level=CenterLevel.VILLAGE).exists()


# ``is_proxy_point(center_of(user))`` in one statement compiled once per process (portal.prepared):
# the post's window and center and the center's level were three statements of every acceptance.
_post_at_proxy_point = PreparedQuery(lambda user_id: StaffProfile.objects.filter(user_id=user_id).filter(
    Q(window__isnull=False, window__center__tier__level=CenterLevel.VILLAGE)
    | Q(window__isnull=True, department__center__tier__level=CenterLevel.VILLAGE)).values_list("pk").order_by()[:1],
    int)


def require_accepting_center(actor) -> None:
    """受理 belongs to a center's window; a proxy point takes in and forwards only (the center
    is ``center_of``'s: the post's window's, else its department's)."""
    if _post_at_proxy_point(actor.pk):
        raise PermissionDenied(_("A proxy point takes applications in for citizens; the service center accepts "
                                 "them."), code="proxy_point_cannot_accept")


def proxy_output(application: Application) -> dict | None:
    """代办: who acted for whom, with the consent on record."""
    if application.channel != "proxy":
        return None
    return {"officer": application.created_by.get_username(), "for": application.applicant_name,
            "point": application.intake_center.code if application.intake_center_id else None,
            "consent": application.proxy_consent, "free_of_charge": True}


def intake_center_check(*, center: ServiceCenter | None, service) -> ServiceCenter | None:
    """A township center or proxy point takes in only the items published there (items are
    published per level); the county center takes in the whole catalogue."""
    if not is_lower_center(center):
        return center
    if not ItemPublication.objects.filter(center=center, item=service).exists():
        raise ValidationFailed(_("%(center)s does not take in this item; apply at the center that publishes it.")
                               % {"center": center.display_name}, code="not_published_here",
                               fields={"service": [_("Not published at this center.")]})
    return center


def referral_open(*, application: Application, actor, now) -> Referral | None:
    """上报: at acceptance, an item the intake center publishes as forwarded goes to the
    competent center; the accepting official answers for it (负责代理) with a clock of the
    item's committed limit."""
    if application.intake_center_id is None:
        return None
    publication = ItemPublication.objects.filter(center_id=application.intake_center_id, item=application.service,
                                                 referred_to__isnull=False).first()
    if publication is None:
        return None
    days = green_channel.committed_limit(application)
    referral = Referral.objects.create(
        application=application, from_center_id=application.intake_center_id, to_center=publication.referred_to,
        official=actor, forwarded_at=now, days=days,
        due_at=get_work_calendar().due_at(timezone.localdate(now), days).due_at)
    audit_log(actor=actor, obj=application, action="refer_up", from_status=application.status,
              to_status=application.status, note=publication.referred_to.name,
              data={"official": actor.get_username(), "due_at": referral.due_at.isoformat()}, at=now)
    return referral


def is_referred(application: Application) -> bool:
    return Referral.objects.filter(application=application).exists()


def require_intake_window(actor, application: Application) -> None:
    """出件 at the same window: a result is handed out where the application was taken in."""
    if application.intake_center_id is None or actor.is_superuser:
        return
    if center_of(actor) != application.intake_center:
        raise PermissionDenied(_("The result is handed out at %(center)s, where the application was taken in.")
                               % {"center": application.intake_center.display_name}, code="hand_over_at_intake_window")


def referral_of(application: Application) -> Referral | None:
    """The application's referral up (上报), with the centers and the official in charge."""
    return Referral.objects.filter(application=application).select_related(
        "from_center", "to_center", "official__staff_profile").first()


def referral_output(application: Application) -> dict | None:
    referral = referral_of(application)
    if referral is None:
        return None
    now = timezone.now()
    decided = application.decided_at
    return {
        "from_center": referral.from_center.code, "to_center": referral.to_center.code,
        "official": referral.official.get_username(), "forwarded_at": iso(referral.forwarded_at),
        "days": referral.days, "due_at": iso(referral.due_at),
        "result": application.outcome or None, "result_at": iso(decided),
        "overdue": (decided or now) > referral.due_at,
        "late_alerted_at": iso(referral.late_alerted_at),
    }


def subtree(center: ServiceCenter) -> list[ServiceCenter]:
    """The center and every center below it (a few dozen at most: one query per level)."""
    found, level = [center], [center]
    while level:
        level = list(ServiceCenter.objects.filter(parent__in=level).order_by("code"))
        found += level
    return found


def may_see_center(user, center: ServiceCenter) -> bool:
    """A supervisor sees the figures of his own center and every center below it: a county
    supervisor the whole county, a township supervisor only his township."""
    if user.is_superuser:
        return True
    if not roles.has_role(user, roles.SUPERVISOR):
        return False
    own = center_of(user)
    node = center
    while node is not None:
        if own is not None and node.pk == own.pk:
            return True
        node = node.parent
    return False


def center_figures(center: ServiceCenter) -> dict:
    """The figures of a center and, rolled up, of the centers below it (分中心 supervision):
    applications taken in, decided, decided on site, referred up and referred up past their
    clock. Applications taken in online or at no named center count for the root center."""
    tree = subtree(center)
    now = timezone.now()
    counts = {
        row["intake_center"]: row for row in Application.objects.filter(intake_center__in=tree)
        .values("intake_center").annotate(
            taken_in=Count("id"), decided=Count("id", filter=Q(outcome__in=DECIDED_OUTCOMES)),
            onsite=Count("id", filter=Q(onsite=True)), referred=Count("referral"),
            proxied=Count("id", filter=Q(channel="proxy")),
            referred_late=Count("referral", filter=Q(referral__due_at__lt=now, decided_at__isnull=True)
                                | Q(decided_at__gt=F("referral__due_at"))))
    }

    def node(c: ServiceCenter) -> dict:
        own = counts.get(c.pk, {})
        children = [node(child) for child in tree if child.parent_id == c.pk]
        figures = {key: own.get(key, 0) + sum(ch["figures"][key] for ch in children)
                   for key in ("taken_in", "decided", "onsite", "referred", "referred_late", "proxied")}
        figures["onsite_rate"] = round(figures["onsite"] / figures["decided"], 4) if figures["decided"] else None
        tier = getattr(c, "tier", None)
        # display_name for the page (the API gives the official name only).
        return {"center": c.code, "name": c.name, "display_name": c.display_name,
                "level": tier.level if tier else CenterLevel.COUNTY, "figures": figures, "children": children}

    return node(center)


def centers_published() -> list[dict]:
    """The network as the public sees it: each center, its level and parent, and its items."""
    publications: dict[int, list[dict]] = {}
    for p in ItemPublication.objects.select_related("item", "referred_to").order_by("item__code"):
        publications.setdefault(p.center_id, []).append(
            {"service": p.item.code, "referred_to": p.referred_to.code if p.referred_to_id else None})
    return [{"code": c.code, "name": c.name, "parent": c.parent.code if c.parent_id else None,
             "level": getattr(getattr(c, "tier", None), "level", CenterLevel.COUNTY),
             "items": publications.get(c.pk, [])}
            for c in ServiceCenter.objects.select_related("parent", "tier").order_by("code")]
