"""Forms of the appraisal pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organisation.forms import department_filter
from portal.web.list_filters import ListFilterForm


class CampaignListFilter(ListFilterForm):
    """评议 campaigns: number or title, where it stands, department, opening from…to."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("any")), ("upcoming", _("not open yet")), ("open", _("open for answers")),
        ("closed", _("closed, results to come")), ("published", _("results published"))])
    department = department_filter()

    def __init__(self, data):
        super().__init__(data, date_label=_("Opening from"))
        self.fields["q"].label = _("Number or title")
