"""A choice among departments or service items, each named in the reader's language."""

from django import forms


class NamedChoiceField(forms.ModelChoiceField):
    """Options read as ``display_name`` (the English name on an English page, the official
    Chinese name otherwise), not as ``str()``, which is always the Chinese one."""

    def label_from_instance(self, obj) -> str:
        return obj.display_name
