"""Seeding the demo district goes through batch actions and a second run changes nothing."""

import pytest

from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.models import AuditEvent
from yiwang.core.models import OrgUnit, RoleAssignment, User
from yiwang.core.roles import Role
from yiwang.demo import actions
from yiwang.demo.district import build_district
from yiwang.demo.models import SeedStep
from yiwang.demo.orgs import org_specs
from yiwang.demo.seed import QUICK_STEPS, STEPS, seed_demo
from yiwang.territory.models import PointOfInterest, Unit


def _counts():
    return {
        "orgs": OrgUnit.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "units": Unit.objects.count(),
        "pois": PointOfInterest.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
def test_second_run_changes_nothing_and_writes_no_audit_rows():
    first = seed_demo(3)
    district = first.district
    after_first = _counts()
    assert after_first["units"] == len(district.units)
    assert after_first["pois"] == len(district.pois)
    assert after_first["orgs"] == len(org_specs(district))
    # one audit row per batch (plus one per finished step), not one per record
    assert after_first["audit"] <= 2 * len(STEPS)
    imports = AuditEvent.objects.filter(action="territory.import")
    assert imports.count() == 1 and imports.get().batch_count == len(district.units)
    assert AuditEvent.objects.get(action="demo.seed.org_units").batch_count == after_first["orgs"]

    second = seed_demo(3)
    assert second.done == [] and set(second.skipped) == set(STEPS)
    assert _counts() == after_first


@pytest.mark.django_db
def test_upserts_alone_are_idempotent_without_the_step_markers():
    seed_demo(5, steps=QUICK_STEPS)
    before = _counts()
    SeedStep.objects.all().delete()  # forget the markers: every step runs again as an upsert
    again = seed_demo(5, steps=QUICK_STEPS)
    assert again.done == list(QUICK_STEPS)
    assert again.summaries["org_units"]["created"] == 0 and again.summaries["org_units"]["updated"] == 0
    assert again.summaries["users"]["created"] == 0
    assert again.summaries["territory"]["created"] == 0 and again.summaries["territory"]["changed"] == 0
    after = _counts()
    assert after["audit"] - before["audit"] == len(QUICK_STEPS)  # only the new step markers
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}


@pytest.mark.django_db
def test_another_seed_is_refused_in_a_seeded_database():
    seed_demo(5, steps=("org_units",))
    with pytest.raises(ActionError):
        seed_demo(6, steps=("org_units",))
    assert not SeedStep.objects.filter(seed=6).exists()


@pytest.mark.django_db
def test_only_the_system_or_a_user_manager_may_seed():
    specs = org_specs(build_district(5, with_pois=False))[:3]
    resident = User.objects.create_user("someone", password="x-long-password-1")
    RoleAssignment.objects.create(user=resident, role=Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        actions.seed_org_units(Actor(user=resident, channel=Channel.WEB), specs)
    with pytest.raises(PermissionDenied):
        actions.seed_org_units(Actor.system(Channel.API), specs)
    assert OrgUnit.objects.count() == 0
    admin = User.objects.create_superuser("root", password="x-long-password-2")
    assert actions.seed_org_units(Actor(user=admin, channel=Channel.WEB), specs).created == 3
