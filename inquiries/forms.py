from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import InquiryChannel
from portal.validation import TextField
from portal.web.choices import NamedChoiceField
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
