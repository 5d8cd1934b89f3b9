from django.contrib import admin

from projects.models import KeyProject


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin):
    """Supervisors designate key projects (重点项目) and name their managers here."""

    list_display = ("code", "name", "enterprise", "manager", "stage_days", "active")
    list_filter = ("active", "center")
    search_fields = ("code", "name", "enterprise")
    raw_id_fields = ("manager", "applicant")
