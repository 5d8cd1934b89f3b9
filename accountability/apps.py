from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    """责任追究制: accountability cases against officials."""

    name = "accountability"
    verbose_name = _("Accountability")
