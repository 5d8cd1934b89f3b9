from django.contrib import admin

from portal.audit.models import AuditEvent
from portal.web.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("id", "at", "actor_label", "object_type", "object_id", "action", "from_status", "to_status")
    list_filter = ("object_type", "action")
    search_fields = ("object_id", "actor_label", "note")
