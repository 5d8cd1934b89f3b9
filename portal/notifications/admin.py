from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.notifications.models import Notification
from portal.notifications.outbox import resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox as an administrator sees it: what failed for good, why, and a resend."""

    list_display = ("id", "channel", "event", "recipient", "subject", "status", "attempts", "next_attempt_at",
                    "sent_at", "last_error")
    list_filter = ("status", "channel", "event")
    search_fields = ("email", "phone", "ref", "subject")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend_selected"]
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description=_("recipient"))
    def recipient(self, row: Notification) -> str:
        return row.email or row.phone

    @admin.action(description=_("Resend the selected messages"))
    def resend_selected(self, request, queryset):
        count = resend(queryset)
        self.message_user(request, ngettext("%(count)d message queued again.", "%(count)d messages queued again.",
                                            count) % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
