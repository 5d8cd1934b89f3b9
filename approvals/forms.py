from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from approvals.models import StageStatus, Status
from portal.validation import TextField
from portal.validation import id_number_problem, mobile_problem
from portal.catalogue.models import IntermediaryService
from portal.catalogue.selectors import item_choices
from portal.web.choices import NamedChoiceField
from portal.web.list_filters import ListFilterForm


class ApplicantForm(forms.Form):
    name = TextField(multiline=False, label=_("Applicant name"), max_length=200)
    id_number = TextField(label=_("Resident ID number"), max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    phone = TextField(label=_("Mobile number"), max_length=11,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail (for notices)"), required=False)
    remember = forms.BooleanField(label=_("Remember these details for my next application"), required=False)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        if projects:  # 绿色通道: file under a key project the person may file for
            # Typed, not chosen from a list: the window may file under any of hundreds of projects.
            # ``projects`` are the first suggestions; the service checks the code.
            self.fields["project"] = TextField(
                multiline=False, label=_("Key project code (green channel)"), required=False, max_length=32,
                widget=forms.TextInput(attrs={
                    "list": "project-suggestions", "autocomplete": "off",
                    "placeholder": _("The code; type the start of the name to look it up"),
                    "hx-get": reverse_lazy("key-project-suggestions"), "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#project-suggestions", "hx-swap": "innerHTML"}))

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        problem = id_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        problem = mobile_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class WalkInForm(ApplicantForm):
    service = NamedChoiceField(label=_("Service item"), queryset=item_choices(), to_field_name="code")

    field_order = ["service", "name", "id_number", "phone", "email"]

    def __init__(self, *args, proxy: bool = False, projects=(), **kwargs):
        super().__init__(*args, projects=() if proxy else projects, **kwargs)
        del self.fields["remember"]  # the clerk keeps no profile for a walk-in applicant
        if proxy:  # 代办: the officer records the citizen's consent
            self.fields["proxy_consent"] = forms.CharField(
                label=_("Applicant's consent to the proxy (how and when it was given)"), max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    material = TextField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 20 MB)"))


class RefuseForm(forms.Form):
    reason = TextField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = TextField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))


class DenyForm(forms.Form):
    """不予许可: reason and legal basis, both printed on the decision with the redress."""

    reason = TextField(label=_("Reason for denial"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = TextField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("The article of law or regulation the denial rests on."))


class MyApplicationFilter(ListFilterForm):
    """The citizen's own applications: number or service item, status, applied from…to."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any"))] + list(Status.choices))

    def __init__(self, data):
        super().__init__(data, date_label=_("Applied from"))
        self.fields["q"].label = _("Application number or service item")


ALERT_CHOICES = [("", _("any")), ("yellow", _("Yellow alert: due soon")), ("red", _("Red alert: overdue"))]


class ReviewQueueFilter(ListFilterForm):
    """并联审批 queue: application number, the stage's status (all open stages when none), alert.
    No dates: the queue is due soonest first. Its ids as before the shared form."""

    status = forms.ChoiceField(label=_("Status"), required=False, widget=forms.Select(attrs={"id": "status-filter"}),
                               choices=[("", _("all open stages"))] + list(StageStatus.choices))
    alert = forms.ChoiceField(label=_("Alert"), required=False, choices=ALERT_CHOICES,
                              widget=forms.Select(attrs={"id": "alert-filter"}))

    def __init__(self, data):
        super().__init__(data)
        del self.fields["from"], self.fields["to"]
        self.fields["q"].label = _("Application number")
        self.fields["q"].widget.attrs["id"] = "q"


class PreReviewFilter(ListFilterForm):
    """预审 waiting for an answer: application number or applicant, service item, alert, requested
    from…to."""

    service = NamedChoiceField(label=_("Service item"), queryset=item_choices(), to_field_name="code",
                               required=False, empty_label=_("any"))
    alert = forms.ChoiceField(label=_("Alert"), required=False, choices=ALERT_CHOICES)

    def __init__(self, data):
        super().__init__(data, date_label=_("Requested from"))
        self.fields["q"].label = _("Application number or applicant")


class KeyProjectFilter(ListFilterForm):
    """重点项目: code, name or enterprise; on or off the green channel; designated from…to."""

    channel = forms.ChoiceField(label=_("Green channel"), required=False, choices=[
        ("", _("any")), ("on", _("on the green channel")), ("off", _("off the green channel"))])

    def __init__(self, data):
        super().__init__(data, date_label=_("Designated from"))
        self.fields["q"].label = _("Project code, name or enterprise")


class LateIntermediaryFilter(ListFilterForm):
    """中介服务 running past their limit: application number or applicant, intermediary service,
    due from…to."""

    service = NamedChoiceField(label=_("Intermediary service"), queryset=IntermediaryService.objects.order_by("code"),
                               to_field_name="code", required=False, empty_label=_("any"))

    def __init__(self, data):
        super().__init__(data, date_label=_("Due from"))
        self.fields["q"].label = _("Application number or applicant")


class WindowQueueFilter(ListFilterForm):
    """The window's queue: application number or applicant, service item, applied from…to."""

    service = NamedChoiceField(label=_("Service item"), queryset=item_choices(), to_field_name="code",
                               required=False, empty_label=_("any"))

    def __init__(self, data):
        super().__init__(data, date_label=_("Applied from"))
        self.fields["q"].label = _("Application number or applicant")
