"""The duty roster: who is on duty now, contacts masked for dispatchers; who may open the scene pages."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import login_as
from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.sensing.flood.actions import add_duty_shift, set_shelter_status
from yiwang.sensing.flood.models import shift_window
from yiwang.sensing.flood.queries import on_duty

pytestmark = pytest.mark.django_db


def test_shifts_cover_their_hours_in_the_district_zone(world):
    day = dt.date(2026, 7, 1)
    start, end = shift_window(day, "night")
    assert timezone.localtime(start).strftime("%m-%d %H:%M") == "07-01 20:00"
    assert timezone.localtime(end).strftime("%m-%d %H:%M") == "07-02 08:00"
    ops = Actor(user=world.ops)
    day_shift = add_duty_shift(ops, date=day, shift="day", role="chief", name="李值班长", phone="13900000002")
    night = add_duty_shift(ops, date=day, shift="night", role="officer", name="周值班员", phone="13900000005")
    full = add_duty_shift(ops, date=day, shift="full", role="leader", person=world.leader)
    assert full.name == "leader"  # from the person's account
    tz = timezone.get_current_timezone()
    assert set(on_duty(dt.datetime(2026, 7, 1, 9, tzinfo=tz))) == {day_shift, full}
    assert set(on_duty(dt.datetime(2026, 7, 2, 3, tzinfo=tz))) == {night, full}
    assert set(on_duty(dt.datetime(2026, 7, 2, 8, tzinfo=tz))) == set()
    summaries = AuditEvent.objects.filter(action="flood.duty.add").values_list("summary", flat=True)
    assert all("1390000" not in str(s) for s in summaries)  # the trail keeps masked numbers only


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"shift": "evening"}, "Unknown shift evening."),
        ({"role": "cook"}, "Unknown duty role cook."),
        ({"name": ""}, "Name the person on duty."),
        ({"phone": "call me"}, "The phone number may hold digits, spaces and dashes only."),
    ],
)
def test_bad_roster_entries_are_refused(world, fields, message):
    base = {"date": timezone.localdate(), "shift": "day", "role": "officer", "name": "A", "phone": "021-6000"}
    with pytest.raises(ActionError, match=message):
        add_duty_shift(Actor(user=world.ops), **{**base, **fields})


def test_the_scene_shows_current_duty_masked_for_dispatchers(world, client):
    today = timezone.localdate()
    for offset in (-1, 0):
        add_duty_shift(Actor(user=world.ops), date=today + dt.timedelta(days=offset), shift="full",
                       role="leader", name="王带班", phone="13900000001")  # fmt: skip
    login_as(client, world.ops)
    assert "13900000001" in client.get("/flood/").content.decode()
    login_as(client, world.dispatcher)
    page = client.get("/flood/").content.decode()
    assert "139****0001" in page and "13900000001" not in page


@pytest.mark.parametrize("path", ["/flood/", "/flood/map.json", "/flood/report/", "/flood/report.csv"])
def test_scene_pages_are_for_the_operations_centre_leaders_and_dispatchers(world, client, path):
    assert client.get(path).status_code == 302  # log in first
    for user in (world.grid_worker, world.resident, world.handler, world.hotline):
        login_as(client, user)
        assert client.get(path).status_code == 403, user
    for user in (world.ops, world.leader, world.dispatcher):
        login_as(client, user)
        assert client.get(path).status_code == 200, user


@pytest.mark.parametrize("path", ["/flood/warnings/", "/flood/checklists/issue/"])
def test_managing_pages_are_for_the_operations_centre(world, client, path):
    for user in (world.leader, world.dispatcher, world.grid_worker):
        login_as(client, user)
        assert client.get(path).status_code == 403
    login_as(client, world.ops)
    assert client.get(path).status_code == 200


def test_shelter_occupancy_is_checked_against_capacity_and_mapped(world, client):
    ops = Actor(user=world.ops)
    with pytest.raises(ActionError, match="501 people exceed the shelter's capacity of 500."):
        set_shelter_status(ops, "SHL-1", is_open=True, occupancy=501)
    with pytest.raises(ActionError, match="There is no shelter DEP-1."):
        set_shelter_status(ops, "DEP-1", is_open=True, occupancy=1)
    with pytest.raises(PermissionDenied):
        set_shelter_status(Actor(user=world.dispatcher), "SHL-1", is_open=True, occupancy=1)
    set_shelter_status(ops, "SHL-1", is_open=True, occupancy=120)
    login_as(client, world.leader)
    features = client.get("/flood/map.json").json()["features"]
    props = {f["properties"]["code"]: f["properties"] for f in features}
    assert props["SHL-1"] == {"layer": "shelter", "code": "SHL-1", "name": "Shelter one", "capacity": 500,
                              "occupancy": 120, "open": True}  # fmt: skip
    assert props["DEP-1"]["capacity"] == 2000 and props["DEP-1"]["layer"] == "material_depot"
    assert "CAM-A" not in props  # cameras are not on this map
