from django import forms
from django.utils.translation import gettext_lazy as _


class AbsenceForm(forms.Form):
    note = forms.CharField(label=_("Reason for absence"), max_length=200, required=False)


class BackupForm(forms.Form):
    backup = forms.CharField(label=_("B post"), required=False)


class OnDutyForm(forms.Form):
    on_duty = forms.BooleanField(label=_("On duty"), required=False)
