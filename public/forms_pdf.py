"""Blank and sample application forms of a catalogue item (八公开: 申请表格及示范文本),
printed by the same renderer as the formal documents, so they look the same everywhere."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.catalogue.models import ServiceItem
from portal.documents import FormalDocument

BLANK = "＿" * 12
SAMPLE = {"name": "陈民", "id_number": "110101199003071234", "phone": "13800000000",
          "address": "示例市人民路100号"}


def application_form(item: ServiceItem, *, sample: bool, base_url: str) -> FormalDocument:
    value = (lambda key: SAMPLE[key]) if sample else (lambda key: BLANK)
    fields = [(_("Service item"), f"{item.code} {item.display_name}"), (_("Applicant name"), value("name")),
              (_("Resident ID number"), value("id_number")), (_("Mobile number"), value("phone")),
              (_("Address"), value("address"))]
    items = [(m.display_name, _("required") if m.required else _("if applicable")) for m in item.materials.all()]
    paragraphs = [_("Attach the materials below. Every missing or defective material is listed for you at "
                    "once (one-time notice).")]
    closing = [_("I confirm that the information above and the materials attached are true."),
               _("Signature: %(sign)s    Date: %(date)s") % {
                   "sign": SAMPLE["name"] if sample else BLANK, "date": timezone.localdate().isoformat()
                   if sample else BLANK}]
    return FormalDocument(
        title=(_("Sample: %(name)s application form") if sample else _("%(name)s application form"))
        % {"name": item.display_name},
        issuer=item.department.center.name, number=f"{item.code}-{'SL' if sample else 'BG'}",
        issued_at=timezone.now(), fields=fields, paragraphs=paragraphs, items=items, closing_paragraphs=closing,
        verify_url=base_url + reverse("service-detail", args=[item.code]),
        verify_caption=_("Scan to open the item in the catalogue"), stamp_text="",
        watermark=_("Sample") if sample else "", language="en" if get_language() == "en" else "zh-hans",
        time_zone=settings.TIME_ZONE,
    )
