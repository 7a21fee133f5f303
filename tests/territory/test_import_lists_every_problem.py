"""A bad file is refused whole, and every problem is listed with the code of its unit."""

import copy

import pytest

from tests.factories import make_org
from tests.territory.builders import box, feature, find, small_territory
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.territory.actions import ImportRefused, import_territory
from yiwang.territory.models import Unit

pytestmark = pytest.mark.django_db


def problems_of(collection, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ImportRefused) as info:
        import_territory(Actor.system(), collection, **kwargs)
    by_code: dict[str, list[str]] = {}
    for problem in info.value.problems:
        by_code.setdefault(problem.code, []).append(problem.message)
    return by_code


def test_several_problems_are_all_reported_and_nothing_is_written():
    data = small_territory()
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[121.40, 31.20], [121.42, 31.22], [121.42, 31.20], [121.40, 31.22], [121.40, 31.20]]],
    }
    find(data, "G1a")["geometry"] = bowtie
    find(data, "G2b")["properties"]["parent"] = "S9"
    find(data, "R1")["properties"]["org_unit"] = "NO-SUCH-ORG"
    del find(data, "P1")["properties"]["name"]
    data["features"].append(copy.deepcopy(find(data, "M1")))
    problems = problems_of(data)
    assert any("Self-intersection" in m for m in problems["G1a"])
    assert any("S9" in m for m in problems["G2b"])
    assert any("NO-SUCH-ORG" in m for m in problems["R1"])
    assert any("name" in m for m in problems["P1"])
    assert any("duplicate" in m for m in problems["M1"])
    assert Unit.objects.count() == 0
    assert not AuditEvent.objects.filter(action="territory.import").exists()


def test_overlapping_siblings_are_reported_with_both_codes():
    data = small_territory()
    # S1 grows 0.001° into S2 (and its grids with it, so only the siblings overlap)
    find(data, "S1")["geometry"] = box(121.40, 31.20, 121.421, 31.24)
    problems = problems_of(data)
    assert any("S2" in m and "overlaps" in m for m in problems["S1"])
    # S1 now also leaves a gap (its grids do not cover the new strip)
    assert any("gap" in m for m in problems["S1"])


def test_a_gap_between_siblings_is_reported_on_the_parent():
    data = small_territory()
    find(data, "G2b")["geometry"] = box(121.42, 31.22, 121.44, 31.239)
    problems = problems_of(data)
    message = " ".join(problems["S2"])
    assert "gap" in message
    assert "121.43" in message  # the gap's location is given


def test_tiny_gaps_within_the_tolerance_are_accepted(settings):
    data = small_territory()
    find(data, "G2b")["geometry"] = box(121.42, 31.22, 121.44, 31.2399999)  # ~20 m² sliver
    settings.TERRITORY = {**settings.TERRITORY, "TOLERANCE_M2": 50.0}
    result = import_territory(Actor.system(), data)
    assert "G2b" in result.created
    Unit.objects.all().delete()
    settings.TERRITORY = {**settings.TERRITORY, "TOLERANCE_M2": 1.0}
    assert "gap" in " ".join(problems_of(data)["S2"])


def test_a_child_outside_its_parent_is_reported():
    data = small_territory()
    find(data, "R1")["geometry"] = box(121.415, 31.205, 121.425, 31.21)  # straddles G1a and G2a
    problems = problems_of(data)
    assert any("outside its parent G1a" in m for m in problems["R1"])


def test_wrong_level_relations_and_kinds_are_reported():
    data = small_territory()
    find(data, "G3a")["properties"]["parent"] = "D1"
    find(data, "R1")["properties"]["kind"] = "grid"
    find(data, "P1")["properties"]["level"] = 7
    data["features"].append(feature("X1", 2, "castle", "D1", box(121.40, 31.20, 121.41, 31.21)))
    problems = problems_of(data)
    assert any("level-2 parent" in m for m in problems["G3a"])
    assert any("cannot stand at level 4" in m for m in problems["R1"])
    assert any("level must be" in m for m in problems["P1"])
    assert any("unknown kind castle" in m for m in problems["X1"])


def test_missing_fields_and_geometry_types_are_reported():
    data = small_territory()
    find(data, "M1")["geometry"] = {"type": "Point", "coordinates": [121.41, 31.21]}
    find(data, "G3b")["properties"]["population"] = -5
    data["features"].append({"type": "Feature", "geometry": None, "properties": {"level": 4}})
    problems = problems_of(data)
    assert any("Polygon" in m for m in problems["M1"])
    assert any("population" in m for m in problems["G3b"])
    assert any("code" in m and "kind" in m for m in problems[f"#{len(data['features'])}"])


def test_not_a_feature_collection_is_refused():
    assert problems_of({"type": "Feature"})["*"]


def test_org_units_are_resolved_by_code():
    org = make_org(code="GC-S1", name="S1 grid centre")
    data = small_territory()
    find(data, "S1")["properties"]["org_unit"] = "GC-S1"
    import_territory(Actor.system(), data)
    assert Unit.objects.get(code="S1").org_unit == org


def test_org_unit_versions_follow_the_units_valid_from():
    import datetime as dt

    from yiwang.core.models import OrgUnit
    from yiwang.core.roles import OrgKind

    old = OrgUnit.objects.create(
        code="GC", name="old", kind=OrgKind.GRID_CENTRE, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2024, 1, 1)
    )
    new = OrgUnit.objects.create(code="GC", name="new", kind=OrgKind.GRID_CENTRE, valid_from=dt.date(2024, 1, 1))
    data = small_territory()
    find(data, "S1")["properties"]["org_unit"] = "GC"
    import_territory(Actor.system(), data, valid_from=dt.date(2022, 6, 1))
    assert Unit.objects.get(code="S1").org_unit == old
    Unit.objects.all().delete()
    import_territory(Actor.system(), data, valid_from=dt.date(2019, 6, 1))  # before any version: the current one
    assert Unit.objects.get(code="S1").org_unit == new
