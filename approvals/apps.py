from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """一窗受理 and 并联审批: applications from intake to certificate."""

    name = "approvals"
    verbose_name = _("Applications")
