from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """效能投诉: complaints about officials and departments (issue #5)."""

    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints import case_sources  # noqa: F401 - registers what case references name
