from django.contrib import admin, messages
from django.utils.translation import gettext as _

from portal.catalogue.models import MaterialRequirement, ServiceItem, StageRequirement


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
            self.message_user(
                request,
                _("The item was saved but not published: %(problems)s")
                % {"problems": "; ".join(f"{k}: {v}" for k, v in item.disclosure_problems().items())},
                level=messages.ERROR,
            )
