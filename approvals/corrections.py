"""一次性告知: the one correction notice, as the window (at intake) and a reviewer (during
review) both issue it."""

from django.utils.translation import gettext as _

from approvals import documents
from approvals.models import Application, CorrectionItem, CorrectionNotice
from portal.errors import ValidationFailed
from portal.validation import text_problem, visible_text

REASON_MAX_LENGTH = CorrectionItem._meta.get_field("reason").max_length


def correction_items_check(items: list[dict], requirements: dict, *, first: CorrectionNotice | None) -> set[str]:
    """Every item names a material of the service (``requirements`` by code) once and says
    what is wrong; a later notice may only repeat materials of the ``first`` one, since
    anything new had to be seen the first time. The codes named."""
    if not items:
        raise ValidationFailed(_("A correction notice lists at least one material."),
                               fields={"items": [_("This list may not be empty.")]})
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        code, reason = item.get("material"), visible_text(item.get("reason") or "")
        if code not in requirements:
            errors[f"items.{index}.material"] = [_("Unknown material code.")]
        elif code in seen:
            errors[f"items.{index}.material"] = [_("This material is listed twice.")]
        seen.add(code)
        if not reason:
            errors[f"items.{index}.reason"] = [_("Say what is missing or wrong.")]
        elif len(reason) > REASON_MAX_LENGTH:
            errors[f"items.{index}.reason"] = [_("At most %(n)d characters.") % {"n": REASON_MAX_LENGTH}]
        elif text_problem(reason):
            errors[f"items.{index}.reason"] = [text_problem(reason)]
    if errors:
        raise ValidationFailed(_("The correction notice is not complete."), fields=errors)
    if first is not None:
        new = sorted(seen - set(first.items.values_list("requirement__code", flat=True)))
        if new:
            raise ValidationFailed(
                _("A later notice may only repeat materials of the first notice; these were not in it: "
                  "%(codes)s (一次性告知).") % {"codes": ", ".join(new)},
                code="one_time_notice",
                fields={"items": [_("New material not in the first notice: %(code)s") % {"code": c} for c in new]},
            )
    return seen


def correction_notice_write(*, application: Application, items: list[dict], requirements: dict, actor, now,
                            note: str, stage=None) -> CorrectionNotice:
    """The checked notice, its items and its formal document."""
    notice = CorrectionNotice.objects.create(
        application=application, stage=stage, sequence=application.correction_notices.count() + 1,
        issued_by=actor, issued_at=now, note=note)
    CorrectionItem.objects.bulk_create(
        CorrectionItem(notice=notice, requirement=requirements[i["material"]], reason=visible_text(i["reason"]))
        for i in items)
    documents.issue_correction_notice(notice=notice, actor=actor)
    return notice
