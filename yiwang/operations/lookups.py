"""Per-process cache of what every report and every routing decision looks up: categories and rules.

* which categories have active children (a case is recorded against a leaf),
* each category's responsible departments (its own, else its parent's),
* the active routing rules (as pure ``routing.Rule`` values) and the operations centre.

Saving or deleting a ``Category``, a ``RoutingRule`` (or their many-to-many links) or an ``OrgUnit``
clears this process's cache at once (signals); other processes see the change within
``OPERATIONS["LOOKUP_SECONDS"]`` (default 5 s). Writes made with ``QuerySet.update()`` send no signal:
call :func:`invalidate` after them.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from yiwang.core.lookups import TTLCache


def ttl() -> float:
    return float(getattr(settings, "OPERATIONS", {}).get("LOOKUP_SECONDS", 5))


CACHE = TTLCache(ttl)
_cached = CACHE.get
invalidate = CACHE.invalidate


# --- categories -----------------------------------------------------------------------------------


def _parents_with_active_children() -> frozenset[int]:
    from .models import Category

    return frozenset(
        Category.objects.filter(active=True, parent__isnull=False).values_list("parent_id", flat=True).distinct()
    )


def has_active_children(category_id: int) -> bool:
    return category_id in _cached("parents", _parents_with_active_children)


def _departments() -> dict[int, tuple[int, ...]]:
    from .models import Category

    own: dict[int, list[int]] = {}
    for category_id, org_id in Category.departments.through.objects.values_list("category_id", "orgunit_id"):
        own.setdefault(category_id, []).append(org_id)
    parents = dict(Category.objects.values_list("id", "parent_id"))
    result = {}
    for category_id, parent_id in parents.items():
        ids = own.get(category_id) or (own.get(parent_id, []) if parent_id else [])
        result[category_id] = tuple(sorted(ids))
    return result


def department_ids(category) -> tuple[int, ...]:
    """The category's responsible departments (its own, else its parent's), ordered by id."""
    return _cached("departments", _departments).get(category.pk, ())


# --- routing --------------------------------------------------------------------------------------


def routing_rules() -> list:
    from .routes import load_rules

    return _cached("rules", load_rules)


def operations_centre_id() -> int | None:
    from .routes import operations_centre_id as load

    return _cached("centre", load)


def connect() -> None:
    from yiwang.core.models import OrgUnit

    from .models import Category, RoutingRule

    for model in (Category, RoutingRule, OrgUnit):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"ops-lookups-{model.__name__}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"ops-lookups-{model.__name__}-delete")
    for through in (Category.departments.through, RoutingRule.categories.through):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"ops-lookups-{through.__name__}-m2m")
