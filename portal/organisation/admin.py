from django.contrib import admin

from portal.organisation.models import Department, ServiceCenter, StaffProfile, Window


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
    list_display = ("badge", "user", "department", "window", "on_duty", "backup")
    list_filter = ("department", "on_duty")
    search_fields = ("badge", "user__username", "user__first_name", "user__last_name")
    filter_horizontal = ("chief_representative_for",)
