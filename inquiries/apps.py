from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """首问负责制: the first official asked owns the question until it is answered."""

    name = "inquiries"
    label = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from portal.audit.history import register_labels
        from inquiries.models import InquiryStatus

        register_labels("inquiry", statuses=InquiryStatus.choices, actions={
            "create": _("question received"),
            "claim": _("taken by an official"),
            "refer": _("referred to a department"),
            "acknowledge": _("referral acknowledged"),
            "answer": _("answered"),
            "close": _("closed"),
            "convert": _("became an application"),
        })
