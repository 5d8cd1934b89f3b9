from django.contrib import admin

from payments.models import PaymentNotice


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(admin.ModelAdmin):
    list_display = ("number", "amount", "status", "method", "paid_at", "receipt_number")
    list_filter = ("status", "method")
    search_fields = ("number", "receipt_number", "provider_ref")
    readonly_fields = [f.name for f in PaymentNotice._meta.fields]

    def has_add_permission(self, request):
        return False
