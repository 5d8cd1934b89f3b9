from django import forms
from django.utils.translation import gettext_lazy as _

from portal.validation import TextField


class AbsenceForm(forms.Form):
    note = TextField(multiline=False, label=_("Reason for absence"), max_length=200, required=False)


class BackupForm(forms.Form):
    backup = TextField(multiline=False, label=_("B post"), required=False)


class OnDutyForm(forms.Form):
    on_duty = forms.BooleanField(label=_("On duty"), required=False)
