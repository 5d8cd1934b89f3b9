"""The GET filters of a staff list (issue 12, "lists that scale"): a search box, the lists'
own choices, and a date range — both days included, local dates. A list applies the filters
that are valid and shows the errors of the others beside their fields."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.validation import TextField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ListFilterForm(forms.Form):
    """``q`` and the dates ``from``…``to`` (named as in the supervision pages); a list adds its
    own choices. Bound to ``request.GET`` always: an empty filter is no filter."""

    q = TextField(multiline=False, label=_("Search"), required=False, max_length=40)

    def __init__(self, data, *, date_label=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["from"] = forms.DateField(label=date_label or _("From"), required=False, widget=DateInput())
        self.fields["to"] = forms.DateField(label=_("To (included)"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        first, last = data.get("from"), data.get("to")
        if first and last and first > last:
            self.add_error("from", _("Not after the end."))
        return data

    def value(self, name: str):
        """The field's cleaned value, or None when it is empty or not valid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def instants(self) -> tuple[datetime | None, datetime | None]:
        """[start of ``from``, start of the day after ``to``) as aware instants (None: open)."""
        zone = timezone.get_current_timezone()
        first, last = self.value("from"), self.value("to")
        return (datetime.combine(first, time.min, tzinfo=zone) if first else None,
                datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone) if last else None)

    def days(self) -> tuple[date | None, date | None]:
        """[``from``, the day after ``to``) as dates, for a date column (None: open)."""
        first, last = self.value("from"), self.value("to")
        return first, last + timedelta(days=1) if last else None

    @property
    def active(self) -> bool:
        """Whether any filter is set (the page says "no match" rather than "nothing here")."""
        return any(self.value(name) for name in self.fields)


def during(queryset, field: str, start: datetime | None, until: datetime | None):
    """``queryset`` narrowed to ``field`` in [``start``, ``until``) (``ListFilterForm.instants``);
    an end that is None is open."""
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if until is not None:
        queryset = queryset.filter(**{f"{field}__lt": until})
    return queryset
