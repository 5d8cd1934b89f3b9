from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """电子监察: supervision figures per department and per official."""

    name = "supervision"
    label = "supervision"
    verbose_name = _("Electronic supervision")

    def ready(self) -> None:
        from supervision import case_sources  # noqa: F401 - registers what case references name
        from portal.catalogue.selectors import catalogue_changed
        from supervision.models import ServiceTargets

        # The targets are kept beside the catalogue (supervision.targets.held_targets_by_center).
        post_save.connect(catalogue_changed, sender=ServiceTargets, dispatch_uid="supervision-targets-cache")
        post_delete.connect(catalogue_changed, sender=ServiceTargets, dispatch_uid="supervision-targets-cache-del")
