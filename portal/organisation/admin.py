from django.contrib import admin

from portal.organisation.models import Department, RoutedWork, ServiceCenter, ServiceCommitment, StaffProfile, Window


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "center", "head")
    search_fields = ("code", "name")


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "center", "department")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("badge", "user", "department", "window", "on_duty", "backup", "absent")
    list_filter = ("department", "on_duty", "absent")
    # Absence routes work and must go through staff_mark_absent / staff_mark_returned.
    readonly_fields = ("absent", "absent_since", "absence_note")
    search_fields = ("badge", "user__username", "user__first_name", "user__last_name")
    filter_horizontal = ("chief_representative_for",)


@admin.register(RoutedWork)
class RoutedWorkAdmin(admin.ModelAdmin):
    """AB岗: what was handed to a B post and whether it came back; a record, not editable."""

    list_display = ("kind", "object_id", "absentee", "holder", "cause", "routed_at", "returned_at", "outcome")
    list_filter = ("kind", "cause", "outcome")
    readonly_fields = [f.name for f in RoutedWork._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceCommitment)
class ServiceCommitmentAdmin(admin.ModelAdmin):
    """服务承诺制: commitments on quality and attitude, of an item or of a window post."""

    list_display = ("code", "kind", "text", "item", "window", "published")
    list_filter = ("kind", "published")
    search_fields = ("code", "text")
