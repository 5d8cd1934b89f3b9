"""Forms of the attendance page."""

from django.utils.translation import gettext_lazy as _

from portal.organisation.forms import department_filter
from portal.web.list_filters import ListFilterForm


class LeaveListFilter(ListFilterForm):
    """Leave to decide: the official's badge or name, department, first day from…to."""

    department = department_filter()

    def __init__(self, data):
        super().__init__(data, date_label=_("First day from"))
        self.fields["q"].label = _("Badge number or name")
