"""The demo's category tree (:mod:`.category_tree`) seeded as a batch action.

Used by the demo (``yiwang demo``), the benchmarks and anyone starting an installation. Idempotent:
a category whose code exists is left as it is (an administrator may have edited it); the missing ones
are created and their departments attached, with one audit row for the batch. :func:`share` gives each
second-level category's relative frequency among real reports (the demo's history generator uses it).
"""

from __future__ import annotations

from yiwang.core.actions import BatchDigest, action, record_batch
from yiwang.core.actor import Actor

from .category_tree import TREE, Spec
from .models import Category, DeadlineMode


def _dep(key: str) -> str:
    """The code of a demo department's org unit from the short key a :class:`Spec` names it by."""
    return f"ORG-DEP-{key}"


def specs() -> list[tuple[str, Spec]]:
    """(parent code, spec) of every second-level category."""
    return [(parent, spec) for parent, _n, _e, _p, children in TREE for spec in children]


def share() -> dict[str, float]:
    return {spec.code: spec.share for _parent, spec in specs()}


@action
def seed_categories(actor: Actor) -> dict:
    """Create the categories of :data:`TREE` that do not exist yet; one audit row for the batch."""
    from yiwang.core.models import OrgUnit

    existing = set(Category.objects.values_list("code", flat=True))
    org = {o.code: o for o in OrgUnit.objects.filter(code__startswith="ORG-DEP-")}
    digest = BatchDigest()
    position = 0
    for code, name, name_en, pillar, children in TREE:
        position += 10
        parent = Category.objects.filter(code=code).first()
        if parent is None:
            parent = Category.objects.create(code=code, name=name, name_en=name_en, pillar=pillar,
                                             position=position)  # fmt: skip
            digest.add({"code": code})
        for i, spec in enumerate(children):
            if spec.code in existing:
                continue
            row = Category(
                code=spec.code,
                name=spec.name,
                name_en=spec.name_en,
                parent=parent,
                pillar=pillar,
                keywords=spec.keywords,
                deadline_mode=DeadlineMode.CALENDAR if spec.calendar_hours else DeadlineMode.WORKING,
                dispatch_within_hours=spec.dispatch_hours,
                handle_within_days=max(1, spec.handle_days),
                handle_within_hours=spec.calendar_hours or 24,
                default_priority=spec.priority,
                public=spec.public,
                duplicate_radius_m=spec.radius_m,
                questions=spec.questions,
                position=i + 1,
            )
            row.save()
            row.departments.set([org[_dep(k)] for k in spec.departments if _dep(k) in org])
            digest.add({"code": spec.code})
    if digest.count:
        record_batch(actor, "operations.category.seed", "operations.category", digest)
    return {"created": digest.count, "unchanged": len(existing)}
