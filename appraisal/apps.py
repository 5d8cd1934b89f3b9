from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    """评议: appraisal campaigns per department (组织群众评风), answered by the public, the
    monitoring-point enterprises (监测点企业) and representatives."""

    name = "appraisal"
    verbose_name = _("Appraisal campaigns")
