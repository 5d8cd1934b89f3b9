"""The header menu, grouped by role: a short line of the person's own work first, the rest
under "More". It fits one line at 1366 px and folds into a menu button on a phone (CSS only).
Element ids are stable: tests and the crawler select links by them."""

from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints import permissions as complaint_permissions
from portal.organisation import roles
from portal.organisation.selectors import may_manage_posts


@dataclass(frozen=True)
class Link:
    id: str
    label: str
    url: str


def _link(id_, label, name) -> Link:
    return Link(id_, label, reverse(name))


def _public_more() -> list[Link]:
    return [_link("nav-register", _("Decisions"), "register"), _link("nav-ratings", _("Ratings"), "ratings"),
            _link("nav-statistics", _("Statistics"), "public-statistics"),
            _link("nav-staff", _("Staff on duty"), "staff-directory"),
            _link("nav-typical", _("Typical cases"), "typical-cases"),
            _link("nav-appraisal", _("Appraisal of the departments"), "appraisal-campaigns")]


def _anonymous() -> tuple[list[Link], list[Link]]:
    return ([_link("nav-services", _("Services"), "catalogue"), _link("nav-track", _("Track"), "track"),
             _link("nav-ask", _("Ask a question"), "inquiry-ask"),
             _link("nav-complain", _("Complain"), "complaint-new")], _public_more())


# Everyone signed out has the same menu: its addresses are reversed once per process (and script
# prefix), not ten times on every public page; the labels stay lazy, in each reader's language.
_anonymous_links: dict[str, tuple[list[Link], list[Link]]] = {}


def links_for(user) -> tuple[list[Link], list[Link]]:
    """(primary, more) links for ``user``."""
    if not user.is_authenticated:
        prefix = get_script_prefix()
        links = _anonymous_links.get(prefix) or _anonymous_links.setdefault(prefix, _anonymous())
        return list(links[0]), list(links[1])
    staff = roles.is_staff_member(user)
    if not staff:
        return ([_link("nav-services", _("Services"), "catalogue"),
                 _link("nav-my-applications", _("My applications"), "my-applications"),
                 _link("nav-inquiries", _("My questions"), "inquiry-list"),
                 _link("nav-my-complaints", _("My complaints"), "my-complaints"),
                 _link("nav-track", _("Track"), "track")],
                [_link("nav-complain", _("Complain"), "complaint-new")] + _public_more())
    has = lambda role: user.is_superuser or roles.has_role(user, role)  # noqa: E731
    reads_everything = roles.oversees(user)
    primary = [_link("nav-workbench", _("Workbench"), "workbench")]
    more: list[Link] = []
    if has(roles.WINDOW_CLERK):
        primary += [_link("nav-window-queue", _("Window queue"), "window-queue"),
                    _link("nav-intake", _("Walk-in intake"), "window-intake")]
    if has(roles.REVIEWER) or has(roles.DEPARTMENT_HEAD):
        primary.append(_link("nav-review-queue", _("Review queue"), "review-queue"))
    if has(roles.PROJECT_MANAGER):
        primary.append(_link("nav-projects", _("Key projects"), "project-list"))
    elif roles.supervises(user):
        more.append(_link("nav-projects", _("Key projects"), "project-list"))
    if has(roles.WINDOW_CLERK) or has(roles.REVIEWER) or has(roles.DEPARTMENT_HEAD):
        more.append(_link("nav-pre-reviews", _("Pre-reviews"), "pre-review-queue"))
    if has(roles.WINDOW_CLERK) or has(roles.REVIEWER) or has(roles.DEPARTMENT_HEAD):
        primary.append(_link("nav-inquiries", _("My inquiries"), "inquiry-list"))
        if has(roles.REVIEWER) or has(roles.DEPARTMENT_HEAD):
            more.append(_link("nav-referred", _("Referred inquiries"), "inquiry-referred"))
    elif has(roles.SUPERVISOR):
        more.append(_link("nav-inquiries", _("Inquiries"), "inquiry-list"))
    profile = getattr(user, "staff_profile", None)
    if may_manage_posts(user, profile.department_id if profile else None):
        primary.append(_link("nav-posts", _("A/B posts"), "staff-posts"))
    if reads_everything or has(roles.DEPARTMENT_HEAD):
        primary.append(_link("nav-supervision", _("Supervision"), "supervision-dashboard"))
    if reads_everything:
        primary.append(_link("nav-alerts", _("Alerts"), "supervision-alerts"))
    department_id = complaint_permissions.staff_department_id(user)
    if complaint_permissions.is_handler(user) or has(roles.DEPARTMENT_HEAD):
        (primary if complaint_permissions.is_handler(user) else more).append(
            _link("nav-complaint-queue", pgettext_lazy("menu", "Complaints"), "complaint-queue"))
    if reads_everything:
        # Short words on the line (the page's heading says it in full): the supervisor's and the
        # discipline office's English menu then fits beside the brand at 1366 px.
        primary.append(_link("nav-cases", pgettext_lazy("menu", "Cases"), "case-list"))
    else:
        more.append(_link("nav-cases", _("My accountability cases"), "case-list"))
    if roles.supervises(user) or (
            department_id is not None and complaint_permissions.is_unit_member(user, department_id)):
        more.append(_link("nav-follow-ups", _("Rating follow-ups"), "follow-up-list"))
    if reads_everything or has(roles.DEPARTMENT_HEAD):
        more.append(_link("nav-rectification", _("Rectification reports"), "rectification-list"))
    if reads_everything or has(roles.DEPARTMENT_HEAD):
        more.append(_link("nav-inspections", _("Inspection visits"), "inspection-list"))
    elif profile is not None:
        more.append(_link("nav-inspections", _("Inspection findings about me"), "inspection-list"))
    if reads_everything:
        more.append(_link("nav-intermediaries", _("Intermediary services"), "intermediary-figures"))
    if profile is not None:
        more[0:0] = [_link("nav-my-work", _("My work"), "staff-work"),
                     _link("nav-attendance", _("Attendance and leave"), "attendance")]
    more += [_link("nav-services", _("Services"), "catalogue"), _link("nav-track", _("Track"), "track")]
    more += _public_more()
    return primary, more


def navigation(request) -> dict:
    """Context processor: the menu of the signed-in person, with the current page marked."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    primary, more = links_for(user)
    path = request.path
    current = next((link.url for link in sorted(primary + more, key=lambda link: -len(link.url))
                    if link.url != "/" and path.startswith(link.url)), None)
    # nav_signed_out: the menu is the one everyone signed out has (base.html keeps it rendered).
    return {"nav_primary": primary, "nav_more": more, "nav_current": current,
            "nav_signed_out": not user.is_authenticated}
