"""Back office: read-only unit lists, the "locate this point" tool and the import tool (through actions)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_user
from tests.territory.builders import find, poi, poi_collection, small_territory
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.territory.actions import import_pois, import_territory
from yiwang.territory.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user(Role.SYSTEM_ADMIN, is_staff=True)
    client.force_login(user)
    return client


def upload(data, name="units.geojson"):
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/geo+json")


def test_units_are_listed_but_not_editable(admin_client):
    import_territory(Actor.system(), small_territory())
    r = admin_client.get("/admin/territory/unit/")
    assert r.status_code == 200
    assert "G2b" in r.content.decode()
    unit = Unit.objects.get(code="S1")
    r = admin_client.post(f"/admin/territory/unit/{unit.id}/change/", {"name": "hacked"})
    assert r.status_code == 403
    assert Unit.objects.get(code="S1").name == "单元S1"


def test_locate_tool_shows_the_chain(admin_client):
    import_territory(Actor.system(), small_territory())
    r = admin_client.get(
        "/admin/territory/unit/locate/", {"lon": 121.406, "lat": 31.206, "system": "wgs84", "radius": 300}
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="locate-chain"' in body
    for code in ("D1", "S1", "G1a", "M1", "R1"):
        assert f"<td>{code}</td>" in body
    r = admin_client.get("/admin/territory/unit/locate/", {"lon": 100, "lat": 10, "system": "wgs84", "radius": 300})
    assert 'id="locate-outside"' in r.content.decode()


def test_locate_tool_names_the_kind_of_each_point_nearby(admin_client):
    import_territory(Actor.system(), small_territory())
    import_pois(Actor.system(), poi_collection(poi("CAM7", "camera", 121.406, 31.2061, stream_url="rtsp://cam/7")))
    r = admin_client.get(
        "/admin/territory/unit/locate/", {"lon": 121.406, "lat": 31.206, "system": "wgs84", "radius": 300}
    )
    body = r.content.decode()
    assert "<td>CAM7</td>" in body
    assert "<td>CCTV camera 视频监控</td>" in body  # the kind's label, not its code
    assert "<td>camera</td>" not in body


def test_import_tool_imports_through_the_action(admin_client):
    r = admin_client.post("/admin/territory/unit/import/", {"what": "units", "file": upload(small_territory())})
    assert r.status_code == 302
    assert Unit.objects.count() == 13
    event = AuditEvent.objects.get(action="territory.import")
    assert event.channel == "admin"


def test_import_tool_lists_the_problems_and_writes_nothing(admin_client):
    data = small_territory()
    find(data, "G3a")["properties"]["parent"] = "ZZZ"
    r = admin_client.post("/admin/territory/unit/import/", {"what": "units", "file": upload(data)})
    body = r.content.decode()
    assert 'id="import-problems"' in body and "ZZZ" in body
    assert not Unit.objects.exists()


def test_staff_without_the_admin_role_may_look_but_not_import(client):
    client.force_login(make_user(Role.DISPATCHER, is_staff=True))
    assert client.get("/admin/territory/unit/locate/").status_code == 200
    r = client.post("/admin/territory/unit/import/", {"what": "units", "file": upload(small_territory())})
    assert r.status_code == 403
    assert not Unit.objects.exists()


def test_the_import_action_refuses_users_without_the_admin_role():
    from yiwang.core.actions import PermissionDenied

    user = make_user(Role.GRID_WORKER)
    with pytest.raises(PermissionDenied):
        import_territory(Actor(user=user), small_territory())
    with pytest.raises(PermissionDenied):  # no user on a web channel is not "the system"
        import_territory(Actor(user=None, channel="web"), small_territory())
    assert not Unit.objects.exists()
