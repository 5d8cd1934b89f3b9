from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """一窗受理 and 并联审批: applications from intake to certificate."""

    name = "approvals"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from approvals import case_sources  # noqa: F401 - registers what case references name
        from approvals.recompute import on_calendar_changed
        from portal.workcalendar.calendar import calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="approvals-recompute-provisional")

        from approvals import concerns

        concerns.connect()

        from approvals.models import StageStatus, Status
        from approvals.labels import ACTIONS
        from portal.audit.history import register_labels

        register_labels("application", actions=ACTIONS, statuses=Status.choices)
        register_labels("stage", actions=ACTIONS, statuses=StageStatus.choices)
