"""Labels of a field's choices, looked up rather than rebuilt.

Django's ``get_FOO_display`` makes a hashable dict of every choice of the field on each call,
hashing every lazily translated label, which translates it: one ``gettext`` per choice per call.
A list page calls it for every row and column (the citizen's applications: 100 calls, a fifth of
the page's time at a million applications). ``QuickDisplay`` keeps the field's value → label dict
once per field; the label stays lazy, so it is translated once, in the request's language.
"""

from django.db import models
from django.utils.encoding import force_str


def choice_labels(field) -> dict:
    """The field's value → (lazy) label, built on first use and kept on the field."""
    labels = field.__dict__.get("_choice_labels")
    if labels is None:
        labels = field.__dict__["_choice_labels"] = dict(field.flatchoices)
    return labels


class QuickDisplay(models.Model):
    """Abstract base: ``get_FOO_display`` by one dict lookup (same result as Django's)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django shows it as it is
            label = value
        return force_str(label, strings_only=True)
