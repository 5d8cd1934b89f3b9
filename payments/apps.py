from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """一个窗口收费: fees charged at one window, against the published catalogue."""

    name = "payments"
    verbose_name = _("Fees")
