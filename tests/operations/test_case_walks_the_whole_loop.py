import re

import pytest

from tests.operations.conftest import advance, report
from yiwang.core.audit.models import AuditEvent
from yiwang.operations.models import Case, CaseArea, CasePlace, CaseStatusChange

pytestmark = pytest.mark.django_db


def test_hotline_report_gets_a_code_a_place_at_every_level_and_a_history(world):
    case = report(world)
    assert re.fullmatch(r"YW-\d{8}-\d{6}", case.code)
    assert case.status == "reported"
    assert (case.district_code, case.subdistrict_code, case.grid_code) == ("D1", "S1", "G1a")
    place = CasePlace.objects.get(case=case)
    assert place.unit_codes == {"1": "D1", "2": "S1", "3": "G1a"}
    assert sorted(place.level4_codes) == ["M1", "R1"]
    assert place.responsible["subdistrict"] == world.gc_s1.pk
    assert sorted(CaseArea.objects.filter(case=case).values_list("unit_code", flat=True)) == [
        "D1",
        "G1a",
        "M1",
        "R1",
        "S1",
    ]
    assert CaseStatusChange.objects.filter(case=case).get().to_status == "reported"
    event = AuditEvent.objects.get(action="operations.case.report", object_id=str(case.pk))
    assert "13912345678" not in str(event.summary)
    assert event.summary["after"]["reporter"]["phone"] == "139****5678"


def test_case_goes_from_report_to_evaluation_with_one_status_row_per_step(world):
    case = advance(world, report(world), "evaluated")
    history = list(CaseStatusChange.objects.filter(case=case).order_by("at", "id").values_list("to_status", flat=True))
    assert history == [
        "reported",
        "accepted",
        "registered",
        "dispatched",
        "handling",
        "handled",
        "verified",
        "closed",
        "evaluated",
    ]
    stored = Case.objects.get(pk=case.pk)
    assert stored.version == 9
    assert stored.closed_at is not None
    assert stored.due_at is None and stored.clock_kind == ""
    assert stored.evaluation["level"] == 5
