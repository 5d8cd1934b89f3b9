"""Forms of the case pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.escalation import ESCALATED_ROLES
from accountability.models import CaseSource, CaseStatus
from portal.organisation.models import Department
from portal.organisation.forms import department_filter
from portal.web.list_filters import ListFilterForm
from portal.web.choices import NamedChoiceField


class CaseListFilter(ListFilterForm):
    """The case list's filters: case number or the subject's badge, status, department,
    source, opened from…to."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any"))] + list(CaseStatus.choices))
    department = NamedChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                   to_field_name="code", required=False, empty_label=_("any"))
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("any"))] + list(CaseSource.choices))

    def __init__(self, data):
        super().__init__(data, date_label=_("Opened from"))
        self.fields["q"].label = _("Case number or badge")


class ProposalListFilter(ListFilterForm):
    """问责延伸 proposals: number or the subject's badge, department, the leader proposed against,
    proposed from…to (the status is the page's tab)."""

    department = department_filter()
    subject_role = forms.ChoiceField(label=_("Proposed against"), required=False, choices=[("", _("any"))]
                                     + [(role.value, role.label) for role in ESCALATED_ROLES])

    def __init__(self, data):
        super().__init__(data, date_label=_("Proposed from"))
        self.fields["q"].label = _("Proposal number or badge")
