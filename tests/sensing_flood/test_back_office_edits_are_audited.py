"""Back office: a checklist with its items is saved with audit rows (items included); deleting a roster shift
goes through the roster action; grid workers and dispatchers do not get in."""

import pytest
from django.utils import timezone

from tests.factories import login_as
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.sensing.flood.actions import add_duty_shift
from yiwang.sensing.flood.models import ChecklistTemplate, DutyShift

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_staff(world):
    world.ops.is_staff = True
    world.ops.save()
    return world.ops


def test_a_checklist_and_its_items_are_saved_with_audit_rows(ops_staff, client):
    login_as(client, ops_staff)
    form = {
        "code": "pre-flood", "name": "Pre-flood", "target": "grid", "poi_kind": "", "active": "on",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-position": "0", "items-0-text": "Drains clear", "items-0-category_code": "CM-GREEN-DRAIN",
        "items-1-position": "1", "items-1-text": "Sandbags", "items-1-category_code": "CM-GREEN",
    }  # fmt: skip
    refused = client.post("/admin/flood/checklisttemplate/add/", form)
    assert refused.status_code == 200 and "Choose a second-level category, not CM-GREEN." in refused.content.decode()
    assert not ChecklistTemplate.objects.exists()
    form["items-1-category_code"] = "CM-GREEN-DRAIN"
    response = client.post("/admin/flood/checklisttemplate/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ChecklistTemplate.objects.get()
    assert list(template.items.values_list("text", "category_code")) == [
        ("Drains clear", "CM-GREEN-DRAIN"),
        ("Sandbags", "CM-GREEN-DRAIN"),
    ]
    assert AuditEvent.objects.filter(action="flood.checklisttemplate.create").count() == 1
    items = AuditEvent.objects.get(action="flood.checklisttemplate.items")
    assert items.summary["after"]["added"] == 2


def test_deleting_a_shift_in_the_back_office_is_audited(ops_staff, client):
    row = add_duty_shift(Actor(user=ops_staff), date=timezone.localdate(), shift="day", role="officer", name="A")
    login_as(client, ops_staff)
    response = client.post(f"/admin/flood/dutyshift/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not DutyShift.objects.exists()
    assert AuditEvent.objects.filter(action="flood.duty.remove").count() == 1


def test_people_outside_the_operations_centre_do_not_configure(world, client):
    for user in (world.dispatcher, world.grid_worker):
        user.is_staff = True
        user.save()
        login_as(client, user)
        assert client.get("/admin/flood/checklisttemplate/").status_code == 403
