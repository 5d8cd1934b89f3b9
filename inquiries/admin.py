from django.contrib import admin

from inquiries.models import Inquiry, InquiryAlertRecord


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    """Read-only: inquiries change only through their services (audit trail, row locks)."""

    list_display = ("number", "status", "channel", "subject", "owner", "referred_to", "due_at", "alert")
    list_filter = ("status", "channel", "alert", "referred_to")
    search_fields = ("number", "subject", "citizen_name", "owner__username")
    readonly_fields = [f.name for f in Inquiry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InquiryAlertRecord)
class InquiryAlertRecordAdmin(admin.ModelAdmin):
    list_display = ("inquiry", "clock", "level", "owner", "department", "raised_at", "due_at")
    list_filter = ("level",)
    readonly_fields = [f.name for f in InquiryAlertRecord._meta.fields]

    def has_add_permission(self, request):
        return False
