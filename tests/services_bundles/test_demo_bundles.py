"""The demo bundles join the demo catalogue's items across departments; seeding twice changes nothing."""

import pytest

from tests.factories import make_department
from tests.services_applications.helpers import make_situation
from yiwang.core.actor import Actor, Channel
from yiwang.demo.orgs import DEPARTMENTS, department_code
from yiwang.services.bundles.demo import DEMO_BUNDLES, recipe_names, seed_bundles
from yiwang.services.bundles.models import Bundle, BundlePart
from yiwang.services.catalogue.demo import build_catalogue
from yiwang.services.catalogue.importing import import_catalogue


@pytest.mark.parametrize("seed", [1, 2, 7])
def test_every_recipe_item_is_in_the_demo_catalogue_of_any_seed(seed):
    names = {item["name"] for item in build_catalogue(seed)["items"]}
    for recipe in DEMO_BUNDLES:
        assert set(recipe_names(recipe)) <= names, recipe[0]


@pytest.mark.django_db
def test_seeding_the_demo_catalogue_then_bundles_makes_every_bundle_of_existing_items():
    for key, zh, _en in DEPARTMENTS:
        make_department(code=department_code(key), name=zh)
    import_catalogue(Actor.system(Channel.CLI), build_catalogue(1))
    assert seed_bundles() == {"created": len(DEMO_BUNDLES), "bundles": len(DEMO_BUNDLES), "skipped": 0}
    for recipe in DEMO_BUNDLES:
        bundle = Bundle.objects.get(code=recipe[0])
        parts = list(bundle.parts.select_related("situation__item").order_by("position"))
        assert [p.situation.item.name for p in parts] == recipe_names(recipe)
        assert all(p.situation.item.active and p.situation.online and p.situation.kiosk for p in parts)
        assert len({p.situation.item.department_id for p in parts}) >= 2  # several departments
    assert seed_bundles() == {"created": 0, "bundles": 0, "skipped": 0}


@pytest.mark.django_db
def test_demo_bundles_are_built_from_matching_items_once():
    names = recipe_names(DEMO_BUNDLES[0])
    for name in names:
        situation = make_situation(make_department(name=f"dept {name}"))
        situation.item.name = name
        situation.item.save(update_fields=["name"])
    first = seed_bundles()
    assert first["bundles"] >= 1
    bundle = Bundle.objects.get(code=DEMO_BUNDLES[0][0])
    assert bundle.parts.count() == len(names)
    assert seed_bundles()["bundles"] == 0
    assert BundlePart.objects.filter(bundle=bundle).count() == len(names)


@pytest.mark.django_db
def test_without_the_catalogue_no_bundle_is_made():
    assert seed_bundles() == {"created": 0, "bundles": 0, "skipped": len(DEMO_BUNDLES)}
    assert not Bundle.objects.exists()
