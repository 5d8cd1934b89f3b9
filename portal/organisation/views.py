"""Pages of 挂牌上岗 (the public staff directory and badge pages) and of A/B posts
(the head's page, and every official's "my work", where B finds A's queue)."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.errors import PermissionDenied
from portal.organisation import posts, selectors, services
from portal.organisation.forms import AbsenceForm, BackupForm, OnDutyForm, PostListFilter
from portal.organisation.models import Department
from portal.pagination import page_context
from portal.web.messages import page_action_run


def directory(request):
    """挂牌上岗: who works in the hall, with badge and window, by badge 50 a page; by badge, name or
    department."""
    q = request.GET.get("q", "").strip()
    department = request.GET.get("department", "").strip()
    pager = page_context(request, selectors.staff_directory(q=q, department=department), selectors.DIRECTORY_ORDER,
                         limit=50)
    return render(request, "staff/directory.html", {
        **pager, "staff": pager["items"], "q": q, "department": department,
        "departments": Department.objects.order_by("code"),
    })


def badge_page(request, badge: str):
    """One official's public card: name, badge, department, window, on duty or who covers, and
    the service commitments of his post (服务承诺)."""
    profile = get_object_or_404(selectors.staff_directory(badge=badge))
    commitments = list(selectors.commitments_published(window_id=profile.window_id)) if profile.window_id else []
    return render(request, "staff/badge.html", {"profile": profile, "commitments": commitments})


@login_required
def my_work(request):
    """Everything the signed-in official holds, and whose work he holds as B post."""
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise PermissionDenied()
    covering = defaultdict(set)
    for row in selectors.covering(request.user):
        covering[row.kind].add(row.object_id)
    absentees = sorted({row.absentee for row in selectors.covering(request.user)}, key=lambda u: u.pk)
    return render(request, "staff/my_work.html", {
        "profile": profile, "work": posts.open_work_of(request.user), "covering": covering,
        "absentees": absentees, "duty_form": OnDutyForm(initial={"on_duty": not profile.on_duty}),
    })


@login_required
def post_list(request):
    """AB岗工作制, the head's page: the posts he manages, their B posts and absences, by badge 50 a
    page; by badge or name, department and whether on duty."""
    managed = selectors.posts_managed_by(request.user)
    if not managed.exists():
        raise PermissionDenied()
    filters = PostListFilter(request.GET)
    pager = page_context(request, selectors.staff_search(managed, q=filters.value("q") or "",
                                                         department=filters.value("department"),
                                                         state=filters.value("state") or ""),
                         selectors.DIRECTORY_ORDER, limit=50)
    profiles = pager["items"]
    # The B post is chosen among all the colleagues of the department, not those of the page alone.
    colleagues = defaultdict(list)
    for c in managed.filter(department_id__in={p.department_id for p in profiles}):
        colleagues[c.department_id].append(c)
    rows = [{"profile": p, "choices": [c for c in colleagues[p.department_id] if c.pk != p.pk]} for p in profiles]
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "staff/_posts_results.html" if request.htmx else "staff/posts.html"
    return render(request, template, {**pager, "rows": rows, "filters": filters})


def _post_backup(request, username):
    form = BackupForm(request.POST)
    form.is_valid()
    return services.staff_backup_set(actor=request.user, username=username,
                                     backup_username=form.cleaned_data.get("backup") or None)


def _post_absent(request, username):
    form = AbsenceForm(request.POST)
    form.is_valid()
    return services.staff_mark_absent(actor=request.user, username=username,
                                      note=form.cleaned_data.get("note", ""))


def _post_on_duty(request, username):
    form = OnDutyForm(request.POST)
    form.is_valid()
    return services.staff_on_duty_set(actor=request.user, username=username,
                                      on_duty=form.cleaned_data.get("on_duty", False))


POST_ACTIONS = {
    "backup": _post_backup,
    "absent": _post_absent,
    "return": lambda request, username: services.staff_mark_returned(actor=request.user, username=username),
    "on-duty": _post_on_duty,
}


@login_required
@require_POST
def post_act(request, username: str, action: str):
    page_action_run(request, POST_ACTIONS, action, username)
    target = request.POST.get("next", "")
    return redirect(target if target in ("staff-work", "staff-posts") else "staff-posts")

