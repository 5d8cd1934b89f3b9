from django.contrib import admin

from portal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("id", "at", "actor_label", "object_type", "object_id", "action", "from_status", "to_status")
    list_filter = ("object_type", "action")
    search_fields = ("object_id", "actor_label", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
