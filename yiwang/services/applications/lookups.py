"""Per-process cache of what every new application and every acceptance looks up in the catalogue.

* a situation with its item and the item's department (one row each, read once),
* the situation's materials, in order, each with its licence type.

Saving or deleting a ``Situation``, an ``Item``, a ``Material``, a ``LicenceType`` or an ``OrgUnit``
clears this process's cache at once (signals); other processes see the change within
``SERVICES["LOOKUP_SECONDS"]`` (default 5 s; 0 turns the cache off). Writes made with
``QuerySet.update()`` send no signal: call :func:`invalidate` after them.

The cached instances are shared between requests: read them, never change them.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from yiwang.core.lookups import TTLCache

_MISSING = object()


def ttl() -> float:
    return float(getattr(settings, "SERVICES", {}).get("LOOKUP_SECONDS", 5))


CACHE = TTLCache(ttl)
_cached = CACHE.get
invalidate = CACHE.invalidate


def _load_situation(pk: int):
    from yiwang.services.catalogue.models import Situation

    found = Situation.objects.select_related("item", "item__department").filter(pk=pk).first()
    return _MISSING if found is None else found


def situation(pk) -> object | None:
    """The situation ``pk`` with its item and department (None when there is none such)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    found = _cached(("situation", pk), lambda: _load_situation(pk))
    return None if found is _MISSING else found


def materials(situation_id: int) -> tuple:
    """The situation's materials by position, each with its licence type."""
    from yiwang.services.catalogue.models import Material

    def load():
        rows = Material.objects.filter(situation_id=situation_id).select_related("licence_type")
        return tuple(rows.order_by("position", "id"))

    return _cached(("materials", int(situation_id)), load)


def connect() -> None:
    from yiwang.core.models import OrgUnit
    from yiwang.services.catalogue.models import Item, LicenceType, Material, Situation

    for model in (Situation, Item, Material, LicenceType, OrgUnit):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"apps-lookups-{model.__name__}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"apps-lookups-{model.__name__}-delete")
