"""The history bulk action writes whole case lives in batches, one audit row per batch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.core.actions import PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.workcal.actions import open_clock
from yiwang.operations.actions import HistoryCase, seed_history
from yiwang.operations.models import Case, CaseArea, CaseStatusChange
from yiwang.operations.queries import timeline

pytestmark = pytest.mark.django_db


def spec(world, reported, *, steps=4):
    times = [reported + timedelta(hours=h) for h in (1, 2, 30, 34)][:steps]
    names = ("registered_at", "dispatched_at", "handled_at", "closed_at")
    return HistoryCase(
        category_id=world.garbage.pk, channel="grid_patrol", discovery="active", lon=121.406, lat=31.206,
        reported_at=reported, department_id=world.urban.pk, district_code="D1", subdistrict_code="S1",
        grid_code="G1a", level4_codes=("R1",), **dict(zip(names, times, strict=False)),
    )  # fmt: skip


def test_cases_their_histories_and_running_clocks_are_written_per_batch(world):
    start = timezone.now() - timedelta(days=20)
    specs = [spec(world, start + timedelta(hours=i), steps=4 if i < 8 else 2) for i in range(12)]
    assert seed_history(Actor.system(), specs, batch_size=5) == 12
    assert AuditEvent.objects.filter(action="operations.case.seed_history").count() == 3  # 5 + 5 + 2
    closed = Case.objects.filter(status="closed")
    assert closed.count() == 8 and Case.objects.filter(status="handling").count() == 4
    assert len(set(Case.objects.values_list("code", flat=True))) == 12
    one = closed.first()
    actions = list(CaseStatusChange.objects.filter(case=one).order_by("version").values_list("action", flat=True))
    assert actions == ["report", "accept", "register", "dispatch", "start_handling", "mark_handled",
                       "verify_pass", "close"]  # fmt: skip
    assert one.version == 8 and timeline(one)  # the case page can show it
    assert set(CaseArea.objects.filter(case=one).values_list("unit_code", flat=True)) == {"D1", "S1", "G1a", "R1"}
    handling = Case.objects.filter(status="handling").first()
    clock = open_clock(("operations.case", str(handling.pk)), "handle")
    assert clock is not None and clock.due_at == handling.due_at


def test_only_the_system_writes_history(world):
    with pytest.raises(PermissionDenied):
        seed_history(Actor(user=world.dispatcher), [spec(world, timezone.now() - timedelta(days=2))])
    assert not Case.objects.exists()
