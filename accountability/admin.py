from django.contrib import admin

from accountability.models import AccountabilityCase
from portal.web.admin import ReadOnlyAdmin


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(ReadOnlyAdmin):
    """Read-only: cases change only through their services, which keep the audit trail."""

    list_display = ("number", "subject", "subject_role", "department", "source", "source_ref", "status", "sanction",
                    "opened_at")
    list_filter = ("status", "source", "subject_role", "sanction", "department")
    search_fields = ("number", "source_ref", "subject__username")
    date_hierarchy = "opened_at"
