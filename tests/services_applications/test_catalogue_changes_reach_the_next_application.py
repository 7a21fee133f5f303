"""The per-process catalogue cache (situation, item, materials) never hides a change from the next application:
a change saved in this process is seen at once; one made elsewhere (no signal here) within the cache's seconds."""

import time

import pytest

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.core.actions import ActionError
from yiwang.services.applications import actions, lookups
from yiwang.services.catalogue.models import Material

pytestmark = pytest.mark.django_db


def _apply(situation, **kwargs):
    resident = make_user()
    return actions.create_application(as_actor(resident), situation=situation, channel="online", **kwargs)


def _names(application):
    rows = application.materials.select_related("material").order_by("material__position")
    return [row.material.name for row in rows]


def test_a_material_added_to_a_situation_is_asked_of_the_next_application():
    situation = make_situation(materials=("Application form",))
    assert _names(_apply(situation)) == ["Application form"]  # the list is cached now
    Material.objects.create(situation=situation, position=1, name="Floor plan")
    assert _names(_apply(situation)) == ["Application form", "Floor plan"]


def test_a_material_made_optional_no_longer_blocks_submitting_at_once():
    situation = make_situation(materials=("Application form",))
    with pytest.raises(ActionError):
        _apply(situation, submit_at_once=True)
    material = situation.materials.get()
    material.required = False
    material.save()
    assert _apply(situation, submit_at_once=True).status == "submitted"


def test_an_item_withdrawn_from_the_catalogue_is_refused_at_once():
    situation = make_situation()
    cached = lookups.situation(situation.pk)
    assert cached.item.active
    item = situation.item
    item.active = False
    item.save()
    with pytest.raises(ActionError, match="no longer offered"):
        _apply(lookups.situation(situation.pk))


def test_a_change_made_elsewhere_is_seen_once_the_cache_expires(monkeypatch):
    situation = make_situation(materials=("Application form",))
    with pytest.raises(ActionError, match="Application form"):
        _apply(situation, submit_at_once=True)  # the list is cached now
    # another process makes it optional: no signal reaches this one
    Material.objects.filter(situation=situation).update(required=False)
    with pytest.raises(ActionError, match="Application form"):
        _apply(situation, submit_at_once=True)  # within the cache's seconds
    later = time.monotonic() + lookups.ttl() + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert _apply(situation, submit_at_once=True).status == "submitted"


def test_accepting_reads_the_catalogue_from_the_cache_and_still_sees_the_application_as_it_is():
    situation = make_situation(materials=())
    application = _apply(situation, submit_at_once=True)
    accepted = actions.accept(as_actor(clerk(), channel="window"), application)
    assert accepted.status == "accepted"
    assert accepted.situation.pk == situation.pk and accepted.item.pk == situation.item_id
    assert accepted.department.pk == situation.item.department_id
    assert accepted.version == 2
