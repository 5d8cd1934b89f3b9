from django.contrib import admin

from portal.audit.services import audit_log
from projects.models import KeyProject


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin):
    """Key projects (重点项目) as the administrator sees them; supervisors designate them and name
    their managers on their own pages (approvals.project_designation). A change made here is in
    the audit trail like one made there."""

    list_display = ("code", "name", "enterprise", "manager", "stage_days", "active")
    list_filter = ("active", "center")
    search_fields = ("code", "name", "enterprise")
    raw_id_fields = ("manager", "applicant")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(actor=request.user, obj=obj, action="project_change" if change else "project_designate",
                  to_status="active" if obj.active else "closed", note="admin",
                  data={field: str(form.cleaned_data.get(field)) for field in form.changed_data})
