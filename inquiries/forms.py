from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import InquiryChannel, InquiryStatus
from portal.validation import TextField
from portal.web.choices import NamedChoiceField
from portal.web.list_filters import ListFilterForm
from portal.organisation.models import Department


def _departments():
    return Department.objects.order_by("code")


class OnlineInquiryForm(forms.Form):
    """A citizen's question online; the first official who takes it owns it."""

    subject = TextField(multiline=False, label=_("Subject"), max_length=200)
    question = TextField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 5}))
    department = NamedChoiceField(label=_("Department (if you know it)"), queryset=_departments(),
                                        to_field_name="code", required=False)


class RecordInquiryForm(forms.Form):
    """An official records the walk-in or telephone question he was asked; he owns it."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[
        (InquiryChannel.WALK_IN, InquiryChannel.WALK_IN.label), (InquiryChannel.PHONE, InquiryChannel.PHONE.label)])
    citizen_name = TextField(multiline=False, label=_("Citizen's name"), max_length=200)
    citizen_contact = TextField(multiline=False, label=_("Citizen's phone or e-mail"), max_length=200, required=False)
    subject = TextField(multiline=False, label=_("Subject"), max_length=200)
    question = TextField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}))
    department = NamedChoiceField(label=_("Department concerned"), queryset=_departments(),
                                        to_field_name="code", required=False)


class ReferForm(forms.Form):
    department = NamedChoiceField(label=_("Refer to department"), queryset=_departments(),
                                        to_field_name="code")
    note = TextField(multiline=False, label=_("Note for the department"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = TextField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class InquiryListFilter(ListFilterForm):
    """An inquiry list's filters: number (a citizen also searches his subjects; an official the
    citizen's name and the owner's badge), status, department, asked from…to. ``statuses``: the statuses the list can
    hold (None: no status filter); ``department``: False on a department's own list."""

    department = NamedChoiceField(label=_("Department"), queryset=_departments(), to_field_name="code",
                                  required=False, empty_label=_("any"))

    def __init__(self, data, *, citizen: bool = False, statuses=InquiryStatus.values, department: bool = True):
        super().__init__(data, date_label=_("Asked from"))
        if not department:  # a department's own list
            del self.fields["department"]
        self.fields["q"].label = _("Number or subject") if citizen else _("Number, citizen's name or owner's badge")
        if statuses:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), required=False,
                choices=[("", _("any"))] + [(s, InquiryStatus(s).label) for s in statuses])
            self.order_fields(["q", "status", "department"])
