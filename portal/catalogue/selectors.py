"""Reads of the public catalogue (公开目录). The published catalogue is read on every home
page and by every client listing services, and changes a few times a year. Each process keeps
the items it read in memory under a version token kept in the shared cache (Redis in
production); whenever an item, material, stage, commitment or department is saved or deleted
the token is dropped (``catalogue_changed``, connected in apps.py), and the next reader in
every process reads the catalogue again from the database under a new token. A request pays one
small cache read, not the unpickling of every item (a sixth of the server's time under the
load mix when the items themselves were cached in Redis). What is built from the items alone (the
catalogue's rendered fragments, the API's serialized list) is kept beside them in the same
process and dropped with them: ``catalogue_derived``."""

import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet

from portal.catalogue.models import IntermediaryService, MaterialRequirement, ServiceItem, StageRequirement
from portal.organisation.models import ServiceCommitment

# A bound on staleness should an invalidation be lost (a read that started before a change
# committed and stored its result after the change dropped the key).
CATALOGUE_CACHE_SECONDS = 300


def item_choices() -> QuerySet[ServiceItem]:
    """The published items as a form's choice of one (code and names, in code order): a select
    needs neither their materials, stages, intermediaries nor commitments (``published_items``
    read them in four more queries on every page with such a select, half the window queue's CPU)."""
    return ServiceItem.objects.filter(published=True).only("id", "code", "name", "name_en").order_by("code")


def published_items() -> QuerySet[ServiceItem]:
    """The public catalogue: only published items can be applied for (服务承诺制)."""
    return (
        ServiceItem.objects.filter(published=True)
        .select_related("department__center")  # the center: the issuer of an accepted item's receipt
        .prefetch_related(
            Prefetch("materials", queryset=MaterialRequirement.objects.order_by("order", "id")),
            Prefetch("stages", queryset=StageRequirement.objects.select_related("department").order_by("order", "id")),
            Prefetch("intermediary_services", queryset=IntermediaryService.objects.filter(published=True)
                     .order_by("code"), to_attr="published_intermediaries"),
            # 服务承诺 published beside the time limits.
            Prefetch("commitments", queryset=ServiceCommitment.objects.filter(published=True).order_by("order", "id"),
                     to_attr="published_commitments"),
        )
        .order_by("code")
    )


def _cache_key() -> str:
    # Per database: several portals (or test databases) may share one Redis.
    return f"catalogue:version:{connection.settings_dict['NAME']}"


# key → (version token, items, values derived from the items) of this process (one assignment
# replaces the three whole).
_held: dict[str, tuple[str, list[ServiceItem], dict]] = {}


def published_catalogue() -> list[ServiceItem]:
    """The published items with department, materials and stages: this process's copy while
    the shared version token is the one it was read under, else read again."""
    key = _cache_key()
    version = cache.get(key)
    held = _held.get(key)
    if version is not None and held is not None and held[0] == version:
        return held[1]
    items = list(published_items())
    if version is None:
        cache.add(key, secrets.token_hex(8), CATALOGUE_CACHE_SECONDS)
        version = cache.get(key)
    if version is not None:
        _held[key] = (version, items, {})
    return items


def catalogue_derived(source: Any, key: tuple, build: Callable[[], Any]) -> Any:
    """``build()``, made once per process for ``key`` while ``source`` is the list
    published_catalogue() returned under the version this process holds, or one of its items;
    built afresh for anything else (a search's queryset, a catalogue read while the shared cache
    was down). The value is dropped with the items when the version changes, so it is never
    older than the items it was built from. ``key`` names everything else the value depends on
    (the language, the fragment); the value must depend on nothing personal to the request. A
    value read from other rows may be kept here too when every save or delete of those rows
    calls ``catalogue_changed`` (supervision's serving departments and service targets)."""
    held = _held.get(_cache_key())
    if held is None or not (source is held[1] or any(source is item for item in held[1])):
        return build()
    derived = held[2]
    key = (id(source), *key)  # the held source is alive as long as the entry
    try:
        return derived[key]
    except KeyError:
        value = derived[key] = build()
        return value


def published_item(code: str) -> ServiceItem | None:
    return next((item for item in published_catalogue() if item.code == code), None)


def catalogue_changed(**kwargs) -> None:
    """Drop the cached catalogue now and again when the change commits (a reader may have
    cached the old rows in between)."""
    key = _cache_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def published_intermediaries() -> QuerySet[IntermediaryService]:
    """中介服务 as the public catalogue lists them, each with the items it serves."""
    return (IntermediaryService.objects.filter(published=True)
            .prefetch_related(Prefetch("items", queryset=ServiceItem.objects.filter(published=True).order_by("code")))
            .order_by("code"))
