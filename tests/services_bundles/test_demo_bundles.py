"""The demo bundles join the demo catalogue's items across departments; seeding twice changes nothing."""

import pytest

from tests.factories import make_department
from tests.services_applications.helpers import make_situation
from yiwang.services.bundles.demo import DEMO_BUNDLES, seed_bundles
from yiwang.services.bundles.models import Bundle, BundlePart

pytestmark = pytest.mark.django_db


def test_demo_bundles_are_built_from_matching_items_once():
    _code, _name, _en, names = DEMO_BUNDLES[0]
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


def test_without_the_catalogue_no_bundle_is_made():
    assert seed_bundles() == {"bundles": 0, "skipped": len(DEMO_BUNDLES)}
    assert not Bundle.objects.exists()
