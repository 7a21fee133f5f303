"""An import that changes a unit closes the old version and opens a new one; unchanged units stay."""

import datetime as dt

import pytest

from tests.territory.builders import changed, small_territory
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.territory import services
from yiwang.territory.actions import ImportRefused, import_territory
from yiwang.territory.models import Unit

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 1)
LATER = dt.date(2025, 7, 1)


def test_reimporting_the_same_file_changes_nothing():
    data = small_territory()
    import_territory(Actor.system(), data, valid_from=START)
    ids = set(Unit.objects.values_list("id", flat=True))
    result = import_territory(Actor.system(), data, valid_from=LATER)
    assert result.unchanged == 13 and not result.created and not result.changed
    assert set(Unit.objects.values_list("id", flat=True)) == ids
    assert AuditEvent.objects.filter(action="territory.import").count() == 1


def test_a_changed_unit_gets_a_new_version_and_the_others_are_untouched():
    data = small_territory()
    import_territory(Actor.system(), data, valid_from=START)
    before = {u.code: u.id for u in Unit.objects.all()}
    result = import_territory(Actor.system(), changed(data, "S2", name="新名字", population=12345), valid_from=LATER)
    assert result.changed == ["S2"] and result.unchanged == 12
    old, new = Unit.objects.filter(code="S2").order_by("valid_from")
    assert (old.valid_from, old.valid_to, old.name) == (START, LATER, "单元S2")
    assert (new.valid_from, new.valid_to, new.name, new.population) == (LATER, None, "新名字", 12345)
    after = {u.code: u.id for u in Unit.objects.filter(valid_to__isnull=True)}
    assert {c: i for c, i in after.items() if c != "S2"} == {c: i for c, i in before.items() if c != "S2"}
    assert AuditEvent.objects.filter(action="territory.import").count() == 2


def test_locating_at_a_past_date_uses_the_version_in_force_then():
    data = small_territory()
    import_territory(Actor.system(), data, valid_from=START)
    import_territory(Actor.system(), changed(data, "G1a", name="改"), valid_from=LATER)
    old, new = Unit.objects.filter(code="G1a").order_by("valid_from")
    assert services.locate(121.401, 31.201, at=dt.date(2025, 3, 1)).grid.unit_id == old.id
    assert services.locate(121.401, 31.201, at=LATER).grid.unit_id == new.id
    assert services.locate(121.401, 31.201).grid.name == "改"
    assert services.locate(121.401, 31.201, at=dt.date(2024, 1, 1)).outside  # nothing in force yet


def test_a_feature_valid_from_wins_over_the_import_date():
    data = changed(small_territory(), "P1", valid_from="2024-05-04")
    import_territory(Actor.system(), data, valid_from=START)
    assert Unit.objects.get(code="P1").valid_from == dt.date(2024, 5, 4)
    assert Unit.objects.get(code="R1").valid_from == START


def test_a_new_version_cannot_start_before_the_current_one():
    data = small_territory()
    import_territory(Actor.system(), data, valid_from=LATER)
    with pytest.raises(ImportRefused) as info:
        import_territory(Actor.system(), changed(data, "R1", name="x"), valid_from=START)
    assert [p.code for p in info.value.problems] == ["R1"]


def test_replace_closes_units_missing_from_the_file():
    data = small_territory()
    import_territory(Actor.system(), data, valid_from=START)
    data["features"] = [f for f in data["features"] if f["properties"]["code"] != "P1"]
    result = import_territory(Actor.system(), data, valid_from=LATER, replace=True)
    assert result.closed == ["P1"]
    assert Unit.objects.get(code="P1").valid_to == LATER
    assert services.locate(121.45, 31.23).level4 == ()


def test_without_replace_missing_units_stay_and_are_checked():
    data = small_territory()
    import_territory(Actor.system(), data, valid_from=START)
    only_level4 = {**data, "features": [f for f in data["features"] if f["properties"]["level"] == 4]}
    result = import_territory(Actor.system(), changed(only_level4, "M1", name="站"), valid_from=LATER)
    assert result.changed == ["M1"] and result.unchanged == 2
    assert Unit.objects.filter(valid_to__isnull=True).count() == 13


def test_dry_run_validates_and_counts_but_writes_nothing():
    result = import_territory(Actor.system(), small_territory(), dry_run=True)
    assert result.dry_run and len(result.created) == 13
    assert not Unit.objects.exists()
    assert not AuditEvent.objects.exists()
