from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import Category, ComplaintStatus, Finding, FollowUpAction, Level
from portal.web.list_filters import ListFilterForm
from portal.web.choices import NamedChoiceField
from portal.validation import TextField
from portal.organisation.models import Department, ServiceCommitment, official_label


class CommitmentChoiceField(forms.ModelChoiceField):
    """服务承诺: each commitment read as the item or post it is made for, and the promise."""

    def label_from_instance(self, obj) -> str:
        owner = obj.item.display_name if obj.item_id else f"{obj.window.number} {obj.window.name}"
        return f"{owner} · {obj.get_kind_display()}: {obj.display_text}"


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("What went wrong"), choices=Category.choices)
    description = TextField(label=_("What happened (when, where, who)"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    staff_badge = TextField(multiline=False, label=_("Badge number of the official (if you know it)"), required=False,
                                  max_length=16)
    department = NamedChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                        to_field_name="code", required=False)
    application_number = TextField(multiline=False, label=_("Application number (if it is about an application)"),
                                         required=False, max_length=32)
    commitment = CommitmentChoiceField(
        label=_("The service commitment that was broken (if any)"), required=False, to_field_name="code",
        queryset=ServiceCommitment.objects.filter(published=True).select_related("item", "window")
        .order_by("item__code", "window_id", "order", "id"))
    anonymous = forms.BooleanField(label=_("Complain anonymously (your name is not recorded)"), required=False)
    name = TextField(multiline=False, label=_("Your name"), required=False, max_length=200)
    contact = TextField(multiline=False, label=_("Phone or e-mail for the answer (optional)"), required=False, max_length=200)


class FeedbackForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the answer?"), widget=forms.RadioSelect,
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied"))], coerce=lambda v: v == "yes")
    comment = TextField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Your rating"), widget=forms.RadioSelect, coerce=int,
                                   choices=[(level.value, level.label) for level in Level])
    comment = TextField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(forms.Form):
    reason = TextField(label=_("Reason for refusing"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    investigator = forms.ChoiceField(label=_("Investigator"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].choices = [
            (u.username, official_label(u)) for u in candidates]


class ConcludeForm(forms.Form):
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices)
    summary = TextField(label=_("What the investigation found"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    text = TextField(label=_("Answer to the complainant"), widget=forms.Textarea(attrs={"rows": 4}))


class FollowUpForm(forms.Form):
    action = forms.ChoiceField(label=_("What was done"), choices=FollowUpAction.choices)
    note = TextField(multiline=False, label=_("What the citizen is told"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = TextField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class GroundsForm(forms.Form):
    grounds = TextField(label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 2}))


class ComplaintListFilter(ListFilterForm):
    """The complaint queue's filters: number or badge, status, department, filed from…to."""

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any"))] + list(ComplaintStatus.choices))
    department = NamedChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                   to_field_name="code", required=False, empty_label=_("any"))

    def __init__(self, data):
        super().__init__(data, date_label=_("Filed from"))
        self.fields["q"].label = _("Complaint number or badge")


class RectificationListFilter(ListFilterForm):
    """书面说明和整改报告: complaint number or the principal's badge, state, department, requested
    from…to."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("any")), ("due", pgettext_lazy("rectification report", "due")),
        ("overdue", _("Overdue: not submitted")), ("submitted", pgettext_lazy("rectification report", "submitted"))])
    department = NamedChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                   to_field_name="code", required=False, empty_label=_("any"))

    def __init__(self, data):
        super().__init__(data, date_label=_("Requested from"))
        self.fields["q"].label = _("Complaint number or badge")


class FollowUpListFilter(ListFilterForm):
    """差评整改: application number, handling unit, rated from…to (the follow-ups and the ratings)."""

    department = NamedChoiceField(label=_("Handling unit"), queryset=Department.objects.order_by("code"),
                                   to_field_name="code", required=False, empty_label=_("any"))

    def __init__(self, data):
        super().__init__(data, date_label=_("Rated from"))
        self.fields["q"].label = _("Application number")
