"""``QuickDisplay``: get_FOO_display by a lookup gives what Django's own gives, in every
language, for every choice and for a value outside the choices."""

import pytest
from django.db import models
from django.utils import translation

from accountability.models import AccountabilityCase
from approvals.models import Application, Stage
from complaints.models import Complaint

MODELS = [Application, Stage, AccountabilityCase, Complaint]


def _django_display(instance, field):
    return models.Model._get_FIELD_display(instance, field)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_choice_reads_as_django_would(model, language):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields
    with translation.override(language):
        for field in fields:
            for value in [value for value, _ in field.flatchoices] + ["no-such-value"]:
                instance = model(**{field.attname: value})
                shown = getattr(instance, f"get_{field.name}_display")()
                assert shown == _django_display(instance, field)


def test_labels_follow_the_language_of_the_request():
    app = Application(status="in_review")
    with translation.override("en"):
        english = app.get_status_display()
    with translation.override("zh-hans"):
        chinese = app.get_status_display()
    assert english == "in review"
    assert chinese != english and not chinese.isascii()
