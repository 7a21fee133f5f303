"""Demo bundles (一件事), built from the demo catalogue's items when they are there (idempotent).

``seed_bundles(actor)`` is a step of ``yiwang demo`` after the catalogue step. Each recipe names its
items as the demo catalogue does (:func:`~yiwang.services.catalogue.demo_data.item_name`); the demo
catalogue always holds them (``demo_data.ALWAYS_OFFERED``). Each part is the item's first situation
offered online (preferring one also offered at the kiosk). A bundle with fewer than two matching items
is skipped. Running it again changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from yiwang.core.actions import record_event
from yiwang.core.actor import Actor
from yiwang.services.catalogue.demo_data import item_name
from yiwang.services.catalogue.models import Item

from .models import Bundle, BundlePart

# (code, name, English name, ((subject, action), ...)) — the items of several departments
DEMO_BUNDLES = (
    (
        "open-restaurant",
        "开餐馆一件事",
        "Open a restaurant",
        (("企业设立登记", "新办"), ("食品经营许可", "新办"), ("店招店牌设置", "新办"),
         ("公众聚集场所投入使用前消防安全检查", "新办"), ("税务登记", "登记")),
    ),
    (
        "open-entertainment-venue",
        "开办娱乐场所一件事",
        "Open an entertainment venue",
        (("企业设立登记", "新办"), ("娱乐场所经营许可", "新办"), ("公共场所卫生许可", "新办"),
         ("公众聚集场所投入使用前消防安全检查", "新办")),
    ),
    (
        "open-pharmacy",
        "开药店一件事",
        "Open a pharmacy",
        (("企业设立登记", "新办"), ("药品零售许可", "新办"), ("户外广告设施设置", "新办"), ("税务登记", "登记")),
    ),
    (
        "open-travel-agency",
        "开旅行社一件事",
        "Open a travel agency",
        (("企业设立登记", "新办"), ("旅行社设立", "新办"), ("税务登记", "登记")),
    ),
    (
        "start-construction",
        "工程建设开工一件事",
        "Start a construction project",
        (("建设用地规划许可", "新办"), ("建设工程规划许可", "新办"), ("建设工程消防设计审查", "新办"),
         ("建筑工程施工许可", "新办")),
    ),
    (
        "newborn",
        "新生儿出生一件事",
        "A baby is born",
        (("出生医学证明", "申请"), ("户口迁移", "登记"), ("社会保险登记", "登记")),
    ),
)  # fmt: skip


def recipe_names(recipe) -> list[str]:
    """The catalogue names of a recipe's items."""
    return [item_name(subject, act) for subject, act in recipe[3]]


def _situation(name: str):
    item = Item.objects.filter(name=name, active=True).order_by("code").first()
    if item is None:
        return None
    situations = item.situations.filter(online=True).order_by("-kiosk", "position", "code")
    return situations.first()


@transaction.atomic
def seed_bundles(actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("cli")
    created, skipped = [], 0
    for recipe in DEMO_BUNDLES:
        code, name, name_en, _items = recipe
        if Bundle.objects.filter(code=code).exists():
            continue
        situations = [s for s in (_situation(n) for n in recipe_names(recipe)) if s is not None]
        if len(situations) < 2:
            skipped += 1
            continue
        bundle = Bundle.objects.create(code=code, name=name, name_en=name_en, description=name_en)
        for position, situation in enumerate(situations):
            BundlePart.objects.create(bundle=bundle, situation=situation, position=position)
        created.append(bundle)
    if created:  # one audit row for the whole seed step
        record_event(actor, "bundles.demo.seed", created[0], after={"bundles": [b.code for b in created]})
    return {"created": len(created), "bundles": len(created), "skipped": skipped}
