"""Admin: complaint limits per category are edited here; complaints and ratings are
read-only records (they change only through their services, which keep the audit trail)."""

from django.contrib import admin

from complaints.models import Complaint, ComplaintLimit, Evaluation, FollowUp
from portal.web.admin import ReadOnlyAdmin


@admin.register(ComplaintLimit)
class ComplaintLimitAdmin(admin.ModelAdmin):
    list_display = ["category", "accept_days", "reply_days"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["number", "category", "status", "staff_badge", "department", "filed_at", "due_at", "finding"]
    list_filter = ["status", "category", "finding"]
    search_fields = ["number", "staff_badge"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["application", "service", "window", "score", "source", "rated_at", "struck"]
    list_filter = ["score", "source", "struck"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "department", "status", "due_at", "overdue", "done_at"]
    list_filter = ["status", "overdue"]
