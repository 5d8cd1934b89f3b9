from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What an operator watches: the sweep's heartbeat, /health/, /metrics."""

    name = "portal.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from portal.operations.metrics import register

        register()
