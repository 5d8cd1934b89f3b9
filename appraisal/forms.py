"""Forms of the appraisal pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organisation.models import Department
from portal.web.choices import NamedChoiceField
from portal.web.list_filters import ListFilterForm


class CampaignListFilter(ListFilterForm):
    """评议 campaigns: number or title, where it stands, department, opening from…to."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("any")), ("upcoming", _("not open yet")), ("open", _("open for answers")),
        ("closed", _("closed, results to come")), ("published", _("results published"))])
    department = NamedChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                   to_field_name="code", required=False, empty_label=_("any"))

    def __init__(self, data):
        super().__init__(data, date_label=_("Opening from"))
        self.fields["q"].label = _("Number or title")
