from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.validators import id_number_problem, mobile_problem
from portal.catalogue.selectors import published_items


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("Applicant name"), max_length=200)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    phone = forms.CharField(label=_("Mobile number"), max_length=11,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail (for notices)"), required=False)

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
    service = forms.ModelChoiceField(label=_("Service item"), queryset=published_items(), to_field_name="code")

    field_order = ["service", "name", "id_number", "phone", "email"]


class UploadForm(forms.Form):
    material = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 20 MB)"))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
