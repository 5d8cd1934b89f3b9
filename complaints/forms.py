from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Finding, FollowUpAction, Level
from portal.organisation.models import Department


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("What went wrong"), choices=Category.choices)
    description = forms.CharField(label=_("What happened (when, where, who)"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    staff_badge = forms.CharField(label=_("Badge number of the official (if you know it)"), required=False,
                                  max_length=16)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                        to_field_name="code", required=False)
    application_number = forms.CharField(label=_("Application number (if it is about an application)"),
                                         required=False, max_length=32)
    anonymous = forms.BooleanField(label=_("Complain anonymously (your name is not recorded)"), required=False)
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    contact = forms.CharField(label=_("Phone or e-mail for the answer (optional)"), required=False, max_length=200)


class FeedbackForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the answer?"), widget=forms.RadioSelect,
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied"))], coerce=lambda v: v == "yes")
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Your rating"), widget=forms.RadioSelect, coerce=int,
                                   choices=[(level.value, level.label) for level in Level])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for refusing"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    investigator = forms.ChoiceField(label=_("Investigator"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].choices = [
            (u.username, f"{u.get_full_name() or u.username} ({u.username})") for u in candidates]


class ConcludeForm(forms.Form):
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices)
    summary = forms.CharField(label=_("What the investigation found"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Answer to the complainant"), widget=forms.Textarea(attrs={"rows": 4}))


class FollowUpForm(forms.Form):
    action = forms.ChoiceField(label=_("What was done"), choices=FollowUpAction.choices)
    note = forms.CharField(label=_("What the citizen is told"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class GroundsForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 2}))
