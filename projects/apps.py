from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """项目经理制 and 绿色通道 (seed 001 line 43): key projects, their managers and the
    pre-application consultations (提前介入 预审)."""

    name = "projects"
    verbose_name = _("Key projects")
