from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """考勤与请销假: staff check in and out at their post; leave approved by the head hands
    the post to its B post (AB岗工作制)."""

    name = "attendance"
    verbose_name = _("Attendance and leave")
