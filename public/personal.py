"""The person's own corner of the portal: his inbox (every notice sent to him, also when he has
no e-mail address) and the 适老化 display mode (large text, high contrast) he can keep."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.notifications.models import InboxMessage
from portal.pagination import Ordering, page_context

ELDER_COOKIE = "display_large"
ONE_YEAR = 365 * 24 * 3600
INBOX_ORDER = Ordering(("id",), descending=True)


@login_required
def inbox(request):
    """站内消息: newest first; opening the page marks what it shows as read."""
    # Keyset pages: an inbox grows for years and no page counts it.
    pager = page_context(request, InboxMessage.objects.filter(user=request.user), INBOX_ORDER, limit=20)
    messages = pager["items"]
    unread = [m.pk for m in messages if m.read_at is None]
    if unread:
        InboxMessage.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "public/inbox.html", {**pager, "inbox_messages": messages, "unread_ids": set(unread)})


@require_POST
def elder_mode(request):
    """适老化: large text and high contrast, kept in a cookie for a year (no account needed)."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure())
    else:
        response.delete_cookie(ELDER_COOKIE)
    return response


def personal(request) -> dict:
    """Context processor: the unread count in the header and the display mode."""
    user = getattr(request, "user", None)
    context = {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1"}
    if user is not None and user.is_authenticated:
        context["inbox_unread"] = InboxMessage.objects.filter(user=user, read_at__isnull=True)[:100].count()
    return context
