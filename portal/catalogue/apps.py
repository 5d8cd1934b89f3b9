from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = _("Service catalogue")

    def ready(self):
        from portal.catalogue.models import IntermediaryService, MaterialRequirement, ServiceItem, StageRequirement
        from portal.catalogue.selectors import catalogue_changed
        from portal.organisation.models import Department, ServiceCommitment

        for model in (ServiceItem, MaterialRequirement, StageRequirement, IntermediaryService, Department,
                      ServiceCommitment):
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-cache-{model.__name__}")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-cache-{model.__name__}-del")
        m2m_changed.connect(catalogue_changed, sender=IntermediaryService.items.through,
                            dispatch_uid="catalogue-cache-intermediary-items")
