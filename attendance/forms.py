"""Forms of the attendance page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organisation.forms import department_filter
from portal.web.list_filters import DateInput, ListFilterForm


class LeaveListFilter(ListFilterForm):
    """Leave to decide: the official's badge or name, department, first day from…to."""

    department = department_filter()

    def __init__(self, data):
        super().__init__(data, date_label=_("First day from"))
        self.fields["q"].label = _("Badge number or name")


class BoardFilter(ListFilterForm):
    """The attendance board: the day, the official's badge or name, department, state; its
    fields named ``board-…``, apart from the leave list's filters on the same page."""

    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    department = department_filter()
    state = forms.ChoiceField(label=_("status"), required=False, choices=[
        ("", _("any")), ("present", _("present")), ("late", _("late")), ("on_leave", _("on leave")),
        ("absent_unexcused", _("absent without leave")), ("not_yet_checked_in", _("not checked in yet")),
        ("rest_day", _("rest day"))])

    def __init__(self, data):
        super().__init__(data, prefix="board")
        del self.fields["from"], self.fields["to"]
        self.fields["q"].label = _("Badge number or name")
