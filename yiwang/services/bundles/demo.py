"""Demo bundles (一件事), built from the demo catalogue's items when they are there (idempotent).

``seed_bundles(actor)`` is meant as a step of ``yiwang demo`` after the catalogue step: it matches
items by their Chinese name and takes each item's first situation; a bundle with fewer than two
matching items is skipped. Running it again changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from yiwang.core.actions import record_event
from yiwang.core.actor import Actor
from yiwang.services.catalogue.models import Item

from .models import Bundle, BundlePart

DEMO_BUNDLES = (
    (
        "open-restaurant",
        "开餐馆一件事",
        "Open a restaurant",
        ("企业设立登记", "食品经营许可", "户外广告设施设置", "公众聚集场所投入使用前消防安全检查"),
    ),
    (
        "open-entertainment-venue",
        "开办娱乐场所一件事",
        "Open an entertainment venue",
        ("企业设立登记", "娱乐场所经营许可", "公共场所卫生许可", "公众聚集场所投入使用前消防安全检查"),
    ),
)


def _first_situation(name: str):
    item = Item.objects.filter(name=name, active=True).order_by("code").first()
    return item.situations.order_by("position", "code").first() if item is not None else None


@transaction.atomic
def seed_bundles(actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("cli")
    created, skipped = [], 0
    for code, name, name_en, item_names in DEMO_BUNDLES:
        if Bundle.objects.filter(code=code).exists():
            continue
        situations = [s for s in (_first_situation(n) for n in item_names) if s is not None]
        if len(situations) < 2:
            skipped += 1
            continue
        bundle = Bundle.objects.create(code=code, name=name, name_en=name_en, description=name_en)
        for position, situation in enumerate(situations):
            BundlePart.objects.create(bundle=bundle, situation=situation, position=position)
        created.append(bundle)
    if created:  # one audit row for the whole seed step
        record_event(actor, "bundles.demo.seed", created[0], after={"bundles": [b.code for b in created]})
    return {"bundles": len(created), "skipped": skipped}
