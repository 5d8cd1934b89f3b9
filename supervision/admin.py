from django.contrib import admin

from supervision.models import DailyStat, RollupState


@admin.register(DailyStat)
class DailyStatAdmin(admin.ModelAdmin):
    """Read-only: rebuilt from the source tables (``manage.py supervision_rollup --rebuild``)."""

    list_display = ("day", "department", "official", "decided", "on_time", "deemed", "yellow_alerts", "red_alerts")
    list_filter = ("department",)
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RollupState)
class RollupStateAdmin(admin.ModelAdmin):
    list_display = ("rolled_through", "stage_watermark", "refreshed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
