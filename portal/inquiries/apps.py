from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """首问负责制: the first official asked owns the question until it is answered."""

    name = "portal.inquiries"
    label = "inquiries"
    verbose_name = _("Inquiries")
