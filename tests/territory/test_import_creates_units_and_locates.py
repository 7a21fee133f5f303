import pytest

from tests.territory.builders import small_territory
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.territory import services
from yiwang.territory.actions import import_territory
from yiwang.territory.models import Unit

pytestmark = pytest.mark.django_db


def test_import_creates_every_unit_and_one_audit_row():
    result = import_territory(Actor.system(), small_territory())
    assert sorted(result.created) == sorted(
        ["D1", "S1", "S2", "S3", "G1a", "G1b", "G2a", "G2b", "G3a", "G3b", "R1", "M1", "P1"]
    )
    assert Unit.objects.filter(valid_to__isnull=True).count() == 13
    events = AuditEvent.objects.filter(action="territory.import")
    assert events.count() == 1
    assert events.get().batch_count == 13
    assert events.get().id == result.audit_event_id


def test_point_is_resolved_to_every_level_with_row_ids():
    import_territory(Actor.system(), small_territory())
    placement = services.locate(121.406, 31.206)
    assert not placement.outside
    assert [u.code for u in placement.chain] == ["D1", "S1", "G1a"]
    assert [u.code for u in placement.level4] == ["M1", "R1"]
    rows = {u.code: u.id for u in Unit.objects.all()}
    assert placement.grid.unit_id == rows["G1a"]
    assert placement.as_fields()["level4_unit_ids"] == [rows["M1"], rows["R1"]]


def test_point_outside_the_district_says_so():
    import_territory(Actor.system(), small_territory())
    placement = services.locate(121.50, 31.22)
    assert placement.outside
    assert placement.chain == ()
    assert placement.to_dict()["outside"] is True
