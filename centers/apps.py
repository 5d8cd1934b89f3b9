from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    """三级政务服务体系: county center, township 便民服务中心, village 代办点."""

    name = "centers"
    verbose_name = _("Service center network")
