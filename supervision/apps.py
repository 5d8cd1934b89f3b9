from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """电子监察: supervision figures per department and per official."""

    name = "supervision"
    label = "supervision"
    verbose_name = _("Electronic supervision")

    def ready(self) -> None:
        from supervision import case_sources  # noqa: F401 - registers what case references name
