from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organisation.models import Department
from portal.validation import TextField
from portal.web.choices import NamedChoiceField
from portal.web.list_filters import ListFilterForm


def department_filter(label=None) -> NamedChoiceField:
    """A list filter's choice of department (``label``: "Department"), by its code, each named in
    the reader's language; empty: any."""
    return NamedChoiceField(label=label or _("Department"), queryset=Department.objects.order_by("code"), to_field_name="code",
                            required=False, empty_label=_("any"))


class AbsenceForm(forms.Form):
    note = TextField(multiline=False, label=_("Reason for absence"), max_length=200, required=False)


class BackupForm(forms.Form):
    backup = TextField(multiline=False, label=_("B post"), required=False)


class OnDutyForm(forms.Form):
    on_duty = forms.BooleanField(label=_("On duty"), required=False)


class PostListFilter(ListFilterForm):
    """AB岗 posts: badge or name, department, absent / on duty / not on duty (no dates)."""

    department = department_filter()
    state = forms.ChoiceField(label=_("On duty"), required=False, choices=[
        ("", _("any")), ("on_duty", _("on duty")), ("off_duty", _("not on duty")), ("absent", _("absent"))])

    def __init__(self, data):
        super().__init__(data)
        del self.fields["from"], self.fields["to"]
        self.fields["q"].label = _("Badge number or name")
