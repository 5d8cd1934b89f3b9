from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    """责任追究制: accountability cases against officials."""

    name = "accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        from accountability.models import CaseStatus
        from portal.audit.history import register_labels

        register_labels("accountabilitycase", statuses=CaseStatus.choices, actions={
            "open": _("case opened"),
            "start_investigation": _("investigation started"),
            "decide": _("decided"),
            "notify": _("official notified of the decision"),
            "appeal": _("appeal lodged"),
            "resolve_appeal": _("appeal decided"),
            "finalise": _("decision final"),
        })
