"""服务承诺制 in the demo world (seed 003 "以承诺制来明确服务要求"; issue 13 item 10): commitments
on the quality of the service and the attitude of the staff, for every published item and for
the windows of the county and township centers. Idempotent; additions only."""

from portal.catalogue.models import ServiceItem
from portal.organisation.models import CommitmentKind, ServiceCommitment, Window

# code suffix, kind, Chinese text, English text
ITEM_COMMITMENTS = [
    ("Q1", CommitmentKind.QUALITY, "需要补正的材料一次性全部告知，不让申请人为同一事项跑第二趟",
     "Every missing material is named at once: no second trip for the same matter"),
    ("Q2", CommitmentKind.QUALITY, "出具的证照内容准确无误，因本中心原因出错的当场免费更正",
     "Certificates are issued without error; a mistake of ours is corrected on the spot, free of charge"),
    ("A1", CommitmentKind.ATTITUDE, "首问负责、文明用语，不推诿、不刁难申请人",
     "The first official asked answers for the question, speaks courteously and never passes the buck"),
]
POST_COMMITMENTS = [
    ("A1", CommitmentKind.ATTITUDE, "微笑服务、亮牌上岗，不说“不知道”“不归我管”",
     "Served with a smile, badge worn; never \"I don't know\" or \"not my business\""),
    ("Q1", CommitmentKind.QUALITY, "叫号后5分钟内开始办理，材料齐全的当场受理",
     "Served within 5 minutes of being called; complete materials are accepted on the spot"),
]


def commitments_seed() -> dict:
    """Commitments of every published item (``<item>-Q1`` …) and of every window post
    (``W-<center>-<window>-A1`` …)."""
    made = 0
    for item in ServiceItem.objects.filter(published=True).order_by("code"):
        for order, (suffix, kind, text, text_en) in enumerate(ITEM_COMMITMENTS):
            ServiceCommitment.objects.update_or_create(
                code=f"{item.code}-{suffix}",
                defaults={"kind": kind, "text": text, "text_en": text_en, "item": item, "window": None,
                          "order": order, "published": True})
            made += 1
    for window in Window.objects.select_related("center").order_by("center__code", "number"):
        for order, (suffix, kind, text, text_en) in enumerate(POST_COMMITMENTS):
            ServiceCommitment.objects.update_or_create(
                code=f"W-{window.center.code}-{window.number}-{suffix}",
                defaults={"kind": kind, "text": text, "text_en": text_en, "item": None, "window": window,
                          "order": order, "published": True})
            made += 1
    return {"commitments": made}
