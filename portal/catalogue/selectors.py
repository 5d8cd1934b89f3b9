from django.db.models import Prefetch, QuerySet

from portal.catalogue.models import MaterialRequirement, ServiceItem, StageRequirement


def published_items() -> QuerySet[ServiceItem]:
    """The public catalogue: only published items can be applied for (服务承诺制)."""
    return (
        ServiceItem.objects.filter(published=True)
        .select_related("department")
        .prefetch_related(
            Prefetch("materials", queryset=MaterialRequirement.objects.order_by("order", "id")),
            Prefetch("stages", queryset=StageRequirement.objects.select_related("department").order_by("order", "id")),
        )
        .order_by("code")
    )
