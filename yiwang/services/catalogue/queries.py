"""Read paths of the catalogue: search, the guidance page's data, and the catalogue statistics."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q

from .models import Item, Material, MaterialSource, Option, Situation


def with_material_counts(situations=None):
    """Situations annotated with ``material_count``: ``no_material_needed`` then costs no query."""
    qs = Situation.objects.all() if situations is None else situations
    return qs.annotate(material_count=Count("materials"))


def situations_needing_no_material(situations=None):
    """Situations that list no material (零材料) — derived, never stored."""
    return with_material_counts(situations).filter(material_count=0)


def items_needing_no_material(items=None):
    """Items with at least one situation where no situation lists a material."""
    qs = Item.objects.all() if items is None else items
    return qs.annotate(n_sit=Count("situations", distinct=True), n_mat=Count("situations__materials")).filter(
        n_sit__gt=0, n_mat=0
    )


def item_for_guide(code: str) -> Item | None:
    """The item with everything the guidance page shows, in a handful of queries."""
    return (
        Item.objects.filter(code=code, active=True)
        .select_related("department")
        .prefetch_related(
            Prefetch("situations", queryset=with_material_counts().order_by("position", "code")),
            Prefetch("situations__materials", queryset=Material.objects.select_related("licence_type")),
            "questions",
            Prefetch("questions__options", queryset=Option.objects.order_by("position", "code")),
            Prefetch("questions__options__situations", queryset=Situation.objects.only("id", "code")),
        )
        .first()
    )


def search_items(text: str = "", department: str = "", type: str = "", *, active_only: bool = True):
    """Items whose code or name (Chinese or English) contains ``text``, of a department code and a type."""
    qs = Item.objects.select_related("department")
    if active_only:
        qs = qs.filter(active=True)
    text = (text or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(name_en__icontains=text) | Q(code__icontains=text))
    if department:
        qs = qs.filter(department__code=department)
    if type:
        qs = qs.filter(type=type)
    return qs.annotate(situation_count=Count("situations")).order_by("code")


def departments_with_items():
    """(code, name, name_en) of the departments that own at least one active item."""
    rows = Item.objects.filter(active=True).values_list("department__code", "department__name", "department__name_en")
    return sorted(set(rows))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def catalogue_stats() -> dict:
    """The figures of BRIEF §3 that come from the catalogue alone (active items only).

    * ``no_material``: items all of whose situations need no material, and situations needing none;
    * ``time_limits``: total statutory and promised working days, and the average reduction
      (mean over situations with a statutory limit of 1 − promised ÷ statutory);
    * ``on_the_spot`` / ``at_most_one_visit``: shares of situations (and of items, all situations);
    * ``government_issued_materials``: materials of source licence, by licence type, and the share
      exemptible because the licence type is in the e-licence library.
    """
    situations = list(
        with_material_counts(Situation.objects.filter(item__active=True)).values(
            "item_id", "statutory_days", "promised_days", "on_the_spot", "max_visits", "material_count"
        )
    )
    items = Item.objects.filter(active=True).count()
    by_item: dict[int, list[dict]] = {}
    for s in situations:
        by_item.setdefault(s["item_id"], []).append(s)
    reductions = [1 - s["promised_days"] / s["statutory_days"] for s in situations if s["statutory_days"]]
    statutory = sum(s["statutory_days"] for s in situations)
    promised = sum(s["promised_days"] for s in situations)
    issued = Material.objects.filter(situation__item__active=True, source=MaterialSource.LICENCE)
    grouped = issued.values("licence_type_id").annotate(n=Count("id")).order_by()
    by_type = Counter({row["licence_type_id"]: row["n"] for row in grouped})
    exemptible = issued.filter(licence_type__electronic=True).count()
    total_issued = sum(by_type.values())
    n = len(situations)
    return {
        "items": items,
        "situations": n,
        "materials": Material.objects.filter(situation__item__active=True).count(),
        "no_material": {
            "items": sum(1 for group in by_item.values() if all(s["material_count"] == 0 for s in group)),
            "situations": sum(1 for s in situations if s["material_count"] == 0),
        },
        "time_limits": {
            "statutory_days": statutory,
            "promised_days": promised,
            "average_reduction": round(sum(reductions) / len(reductions), 4) if reductions else None,
            "total_reduction": _share(statutory - promised, statutory),
        },
        "on_the_spot": {
            "situations": sum(1 for s in situations if s["on_the_spot"]),
            "share": _share(sum(1 for s in situations if s["on_the_spot"]), n),
        },
        "at_most_one_visit": {
            "situations": sum(1 for s in situations if s["max_visits"] <= 1),
            "share": _share(sum(1 for s in situations if s["max_visits"] <= 1), n),
            "items": sum(1 for g in by_item.values() if all(s["max_visits"] <= 1 for s in g)),
            "items_share": _share(
                sum(1 for g in by_item.values() if all(s["max_visits"] <= 1 for s in g)), len(by_item)
            ),
        },
        "government_issued_materials": {
            "count": total_issued,
            "exemptible": exemptible,
            "exemptible_share": _share(exemptible, total_issued),
            "by_licence_type": dict(sorted(by_type.items())),
        },
    }
