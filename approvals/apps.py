from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """一窗受理 and 并联审批: applications from intake to certificate."""

    name = "approvals"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from approvals.recompute import on_calendar_changed
        from portal.workcalendar.calendar import calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="approvals-recompute-provisional")
