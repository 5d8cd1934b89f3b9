"""Public pages: home, catalogue (八公开), progress query, document verification."""

from django.contrib.auth.views import LoginView
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from approvals.documents import formal_document
from approvals.models import Application, IssuedDocument
from approvals.selectors import application_clock, stages_of
from portal.catalogue.selectors import published_items


def home(request):
    return render(request, "public/home.html", {"items": published_items()})


def catalogue(request):
    q = request.GET.get("q", "").strip()
    items = published_items()
    if q:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(name_en__icontains=q)
                             | Q(department__name__icontains=q))
    return render(request, "public/catalogue.html", {"items": items, "q": q})


def service_detail(request, code: str):
    item = get_object_or_404(published_items(), code=code)
    return render(request, "public/service_detail.html", {"item": item, "stages": item.stage_plan()})


def track(request):
    """公开查询: number + the code printed on the receipt; no personal data shown."""
    number = request.GET.get("number", "").strip()
    code = request.GET.get("code", "").strip().upper()
    context = {"number": number, "code": code}
    if number or code:
        application = Application.objects.select_related("service").filter(number=number).first()
        if application is None or application.tracking_code != code:
            context["error"] = _("No application matches this number and code.")
        else:
            context.update(application=application, clock=application_clock(application),
                           stages=stages_of(application))
    return render(request, "public/track.html", context)


def verify_document(request, code):
    """扫码核验: anyone holding a document can check it was issued as printed."""
    document = get_object_or_404(IssuedDocument.objects.select_related("application"), verify_code=code)
    return render(request, "public/verify.html", {"document": document, "formal": formal_document(document)})


class PortalLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
