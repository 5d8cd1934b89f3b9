from django.contrib import admin, messages
from django.utils.translation import gettext as _

from portal.catalogue.models import IntermediaryService, MaterialRequirement, ServiceItem, StageRequirement
from portal.catalogue.selectors import catalogue_changed


class MaterialInline(admin.TabularInline):
    model = MaterialRequirement
    extra = 1


class StageInline(admin.TabularInline):
    model = StageRequirement
    extra = 0


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "handling_type", "committed_days", "statutory_days",
                    "deemed_approval", "published")
    list_filter = ("handling_type", "department", "published", "deemed_approval")
    search_fields = ("code", "name")
    inlines = [MaterialInline, StageInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item = form.instance
        if item.published and item.disclosure_problems():
            ServiceItem.objects.filter(pk=item.pk).update(published=False)
            catalogue_changed()  # an update() sends no post_save
            self.message_user(
                request,
                _("The item was saved but not published: %(problems)s")
                % {"problems": "; ".join(f"{k}: {v}" for k, v in item.disclosure_problems().items())},
                level=messages.ERROR,
            )


@admin.register(IntermediaryService)
class IntermediaryServiceAdmin(admin.ModelAdmin):
    """中介服务: published beside the items they serve, with their own limit and fee."""

    list_display = ("code", "name", "kind", "provider", "days", "fee_amount", "published")
    list_filter = ("kind", "published")
    search_fields = ("code", "name", "provider")
    filter_horizontal = ("items",)
