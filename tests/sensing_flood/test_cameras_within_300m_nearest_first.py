"""An alert and its case list the CCTV cameras within 300 m, nearest first, with exact distances and stream links."""

import re

import pytest
from geographiclib.geodesic import Geodesic

from tests.factories import login_as
from tests.sensing_flood.conftest import CAMERAS, GAUGE, T0, raise_alert
from yiwang.sensing.flood.cameras import cameras_for_alert, cameras_for_case, cameras_near

pytestmark = pytest.mark.django_db


def test_cameras_within_300m_are_nearest_first_with_exact_distances(world):
    found = cameras_near(*GAUGE)
    assert [c.code for c in found] == ["CAM-B", "CAM-C", "CAM-A"]  # 12 m, 150.25 m, 299.5 m; not 300.5 m
    for cam in found:
        exact = Geodesic.WGS84.Inverse(GAUGE[1], GAUGE[0], cam.lat, cam.lon)["s12"]
        assert cam.distance_m == pytest.approx(exact, abs=0.01)
        assert cam.distance_m == pytest.approx(CAMERAS[cam.code][0], abs=0.01)
        assert cam.stream_url == f"rtsp://cams.test/{cam.code}"


def test_the_radius_is_a_setting(world, settings):
    settings.FLOOD = {"CAMERA_RADIUS_M": 301}
    assert [c.code for c in cameras_near(*GAUGE)] == ["CAM-B", "CAM-C", "CAM-A", "CAM-FAR"]


def test_alert_and_its_case_list_the_same_cameras(world, gauge, rule):
    alert = raise_alert(rule, gauge, "red", T0)
    assert alert.case is not None
    codes = ["CAM-B", "CAM-C", "CAM-A"]
    assert [c.code for c in cameras_for_alert(alert)] == codes
    assert [c.code for c in cameras_for_case(alert.case)] == codes


def listed(html: str) -> list[str]:
    block = html.split('id="nearby-cameras"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li data-code="([^"]+)"', block)


def test_alert_page_and_case_page_show_the_cameras_with_their_links(world, gauge, rule, client):
    alert = raise_alert(rule, gauge, "red", T0)
    login_as(client, world.ops)
    page = client.get(f"/flood/alerts/{alert.pk}/").content.decode()
    assert listed(page) == ["CAM-B", "CAM-C", "CAM-A"]
    assert 'href="rtsp://cams.test/CAM-B"' in page
    case_page = client.get(f"/ops/cases/{alert.case.code}/").content.decode()
    assert listed(case_page) == ["CAM-B", "CAM-C", "CAM-A"]
    assert 'href="rtsp://cams.test/CAM-A"' in case_page


def test_a_case_far_from_any_camera_says_so(world, client):
    from tests.operations.conftest import IN_G2A, report

    case = report(world, at=IN_G2A)
    login_as(client, world.dispatcher_s2)
    page = client.get(f"/ops/cases/{case.code}/").content.decode()
    assert listed(page) == []
    assert "No camera within this distance." in page


def test_the_alert_in_the_back_office_lists_the_cameras(world, gauge, rule, client):
    alert = raise_alert(rule, gauge, "red", T0)
    world.ops.is_staff = True
    world.ops.save()
    login_as(client, world.ops)
    page = client.get(f"/admin/alerts/alert/{alert.pk}/change/").content.decode()
    order = [page.index(f'href="rtsp://cams.test/{code}"') for code in ("CAM-B", "CAM-C", "CAM-A")]
    assert order == sorted(order)
    assert "CAM-FAR" not in page


def test_a_rising_gauge_raises_a_graded_alert_whose_case_lists_the_cameras(world, gauge, rule):
    from datetime import timedelta

    from yiwang.sensing.alerts.engine import evaluate_device
    from yiwang.sensing.flood.queries import open_flood_alerts, open_flood_cases
    from yiwang.sensing.models import Observation

    for minutes, value in ((0, 0.05), (5, 0.25), (10, 0.55)):
        Observation.objects.create(device=gauge, ts=T0 + timedelta(minutes=minutes), value=value)
        evaluate_device(gauge, now=T0 + timedelta(minutes=minutes))
    [alert] = open_flood_alerts()
    assert alert.level == "red"  # yellow at 0.25 m, then red at 0.55 m: one alert, updated
    assert list(open_flood_cases()) == [alert.case]
    assert [c.code for c in cameras_for_case(alert.case)] == ["CAM-B", "CAM-C", "CAM-A"]
