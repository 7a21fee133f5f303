"""The demo's "flood" step seeds a season, checklists (one issued to every grid team), a week's roster,
an open shelter and a warning in force — through the actions, so each write is audited."""

import pytest
from django.utils import timezone

from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.demo.seed import OPERATIONS_STEPS, STEP_FUNCTIONS
from yiwang.sensing.flood.demo import seed_flood
from yiwang.sensing.flood.models import ChecklistTemplate, DutyShift, FloodSeason, InspectionTask, ShelterStatus
from yiwang.sensing.flood.queries import active_warnings, on_duty

pytestmark = pytest.mark.django_db


def test_the_flood_step_is_registered():
    assert "flood" in OPERATIONS_STEPS and "flood" in STEP_FUNCTIONS


def test_the_flood_step_seeds_the_scene(world):
    from yiwang.operations.seed_categories import seed_categories

    seed_categories(Actor.system())  # the demo seeds the category tree before this step
    summary = seed_flood(Actor.system())
    assert summary["tasks"] == 6 == InspectionTask.objects.count()
    assert FloodSeason.objects.get().year == timezone.localdate().year
    assert set(ChecklistTemplate.objects.values_list("code", flat=True)) == {"pre-flood-grid", "pre-flood-depot"}
    assert DutyShift.objects.count() == 8 * 6
    assert {d.role for d in on_duty()} >= {"leader", "chief", "officer", "rescue"}
    assert ShelterStatus.objects.get(poi_code="SHL-1").occupancy == 120
    [warning] = active_warnings()
    assert warning.level == "blue"  # its kind follows the season's phase (test_season_phase_follows_the_calendar)
    assert AuditEvent.objects.filter(action="flood.duty.add").count() == 48
