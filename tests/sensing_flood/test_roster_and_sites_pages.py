"""The roster page (the week, masked for dispatchers, changed only by the operations centre) and the shelters
and depots page (capacity; occupancy updated through the action, refused above capacity)."""

import pytest
from django.utils import timezone

from tests.factories import login_as
from yiwang.core.audit.models import AuditEvent
from yiwang.sensing.flood.models import DutyShift, ShelterStatus

pytestmark = pytest.mark.django_db


def shift_form(**extra):
    return {"date": timezone.localdate().isoformat(), "shift": "day", "role": "officer", "name": "陈值班员",
            "phone": "13900000004", **extra}  # fmt: skip


def test_the_operations_centre_adds_and_removes_shifts(world, client):
    login_as(client, world.ops)
    assert client.post("/flood/duty/", shift_form()).status_code == 302
    row = DutyShift.objects.get()
    page = client.get("/flood/duty/").content.decode()
    assert f'data-shift="{row.pk}"' in page and "13900000004" in page
    bad = client.post("/flood/duty/", shift_form(phone="ring ring"))
    assert (
        bad.status_code == 400 and "The phone number may hold digits, spaces and dashes only." in bad.content.decode()
    )
    assert client.post(f"/flood/duty/{row.pk}/remove/").status_code == 302
    assert not DutyShift.objects.exists()
    assert AuditEvent.objects.filter(action__in=["flood.duty.add", "flood.duty.remove"]).count() == 2


def test_dispatchers_see_the_roster_masked_and_cannot_change_it(world, client):
    login_as(client, world.ops)
    client.post("/flood/duty/", shift_form())
    row = DutyShift.objects.get()
    login_as(client, world.dispatcher)
    page = client.get("/flood/duty/").content.decode()
    assert "139****0004" in page and "13900000004" not in page and "duty-form" not in page
    assert client.post("/flood/duty/", shift_form(name="x")).status_code == 403
    assert client.post(f"/flood/duty/{row.pk}/remove/").status_code == 403
    assert DutyShift.objects.count() == 1
    login_as(client, world.grid_worker)
    assert client.get("/flood/duty/").status_code == 403


def test_the_sites_page_updates_a_shelter_within_its_capacity(world, client):
    login_as(client, world.ops)
    page = client.get("/flood/sites/").content.decode()
    assert '<tr data-code="DEP-1">' in page and '<tr data-code="SHL-1">' in page
    over = client.post("/flood/sites/SHL-1/", {"is_open": "on", "occupancy": "600"})
    assert over.status_code == 400
    assert "SHL-1: 600 people exceed the shelter&#x27;s capacity of 500." in over.content.decode()
    assert not ShelterStatus.objects.exists()
    assert client.post("/flood/sites/SHL-1/", {"is_open": "on", "occupancy": "42"}).status_code == 302
    status = ShelterStatus.objects.get(poi_code="SHL-1")
    assert (status.is_open, status.occupancy) == (True, 42)
    login_as(client, world.leader)
    assert client.post("/flood/sites/SHL-1/", {"occupancy": "0"}).status_code == 403
    assert 'name="occupancy"' not in client.get("/flood/sites/").content.decode()


def test_the_staff_bar_links_to_the_scene_and_the_tasks(world, client):
    login_as(client, world.leader)
    assert 'href="/flood/"' in client.get("/flood/").content.decode()
    login_as(client, world.grid_worker)
    assert 'href="/flood/tasks/"' in client.get("/flood/tasks/").content.decode()
