"""Public pages: home, catalogue (八公开), progress query, document verification."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.documents import formal_document
from approvals.models import IssuedDocument
from approvals.selectors import application_clock, journey_steps, tracked_application
from portal.api.client import ScopedRateThrottle
from portal.catalogue.selectors import published_catalogue, published_item, published_items
from portal.documents import render_pdf
from portal.organisation.roles import is_staff_member
from portal.web.site import public_base_url
from public.forms_pdf import application_form
from public.workbench import sections_for


def home(request):
    return render(request, "public/home.html", {"items": published_catalogue()})


def catalogue(request):
    q = request.GET.get("q", "").strip()
    items = published_catalogue()
    if q:
        items = published_items().filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(name_en__icontains=q)
                             | Q(department__name__icontains=q))
    return render(request, "public/catalogue.html", {"items": items, "q": q})


def service_detail(request, code: str):
    item = published_item(code)  # the cached catalogue (its materials, stages and commitments along)
    if item is None:
        raise Http404
    return render(request, "public/service_detail.html", {"item": item, "stages": item.stage_plan()})


class _TrackPage:
    throttle_scope = "track"


_TRACK_THROTTLE = ScopedRateThrottle


def track(request):
    """公开查询: number + the code printed on the receipt; no personal data shown."""
    number = request.GET.get("number", "").strip().upper()
    code = request.GET.get("code", "").strip().upper()
    context = {"number": number, "code": code}
    if (number or code) and not _TRACK_THROTTLE().allow_request(request, _TrackPage):
        # The same budget per address as GET /api/track/ (one counter): guessing codes on the
        # page is no cheaper than through the API.
        context["error"] = _("Too many queries from this address. Please try again in a minute.")
        return render(request, "public/track.html", context, status=429)
    if number or code:
        application = tracked_application(number)
        if application is None or application.tracking_code != code:
            context["error"] = _("No application matches this number and code.")
        else:
            context.update(application=application, clock=application_clock(application),
                           stages=application.public_stages, steps=journey_steps(application), now=timezone.now())
    return render(request, "public/track.html", context)


def verify_document(request, code):
    """扫码核验: anyone holding a document can check it was issued as printed."""
    document = get_object_or_404(IssuedDocument.objects.select_related("application"), verify_code=code)
    return render(request, "public/verify.html", {"document": document, "formal": formal_document(document, base_url=public_base_url(request))})


class PortalAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, with the username's length checked before authenticate() (a
    longer one would reach the lockout table, whose column holds 255 characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class PortalLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True


@login_required
def workbench(request):
    """工作台: staff land here after signing in; a citizen goes to his applications."""
    if not is_staff_member(request.user):
        return redirect("my-applications")
    return render(request, "public/workbench.html", {"sections": sections_for(request.user)})


def service_form(request, code: str, kind: str):
    """The item's application form as PDF: blank to fill in by hand, or a filled-in sample."""
    item = get_object_or_404(published_items(), code=code)
    if kind not in ("blank", "sample"):
        raise Http404()
    document = application_form(item, sample=kind == "sample", base_url=public_base_url(request))
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{item.code}-{kind}.pdf"'
    return response
