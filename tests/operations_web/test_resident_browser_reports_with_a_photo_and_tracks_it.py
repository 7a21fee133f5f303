"""On a phone (390 px): a resident reports a manhole cover with a photo, placed by a tap on the map, then
follows the case by its code. Touch targets are at least 48 px, text at least 16 px, nothing scrolls sideways."""

import pytest
from django.utils import translation

from tests.uploads.samples import jpeg_with_gps
from yiwang.operations.models import Case, CaseAttachment
from yiwang.operations.web.story import status_words

from .conftest import IN_R1, build_world

DESCRIPTION = "井盖缺失 <script>alert('x')</script> 请尽快处理"


@pytest.fixture
def live_world(transactional_db, monkeypatch):
    return build_world(monkeypatch)


def tap_on_map(page, map_name, lon, lat):
    x, y = page.evaluate(
        f"([lat, lng]) => {{ const p = window.{map_name}.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }}",
        [lat, lon],
    )
    return x, y


TARGETS = ", ".join(
    [
        "main button",
        "main select",
        "main input:not([type=hidden]):not([type=file])",
        "main a.big-button",
        "main label.big-button",
    ]
)


def assert_phone_friendly(page):
    small = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter(e => e.offsetParent !== null)
            .map(e => ({id: e.id || e.textContent.trim(), h: e.getBoundingClientRect().height,
                        f: parseFloat(getComputedStyle(e).fontSize), t: e.type}))
            .filter(e => (e.t === 'checkbox' || e.t === 'radio') ? (e.h < 28) : (e.h < 48 || e.f < 16))""",
        TARGETS,
    )
    assert small == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_a_resident_reports_with_a_photo_from_a_map_tap_and_tracks_it(live_world, live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/report/")
    page.wait_for_selector("#report-map[data-loaded=true]")
    assert_phone_friendly(page)

    page.select_option("#id_group", label="市政设施")
    assert page.eval_on_selector_all("#id_category option", "os => os.map(o => o.textContent)")[1:] == ["井盖"]
    page.select_option("#id_category", label="井盖")

    x, y = tap_on_map(page, "__reportMap", *IN_R1)
    page.locator("#report-map").click(position={"x": x, "y": y})
    page.wait_for_function(f"Math.abs(parseFloat(document.getElementById('id_lon').value) - {IN_R1[0]}) < 0.0005")

    page.fill("#id_description", DESCRIPTION)
    page.set_input_files(
        "#id_photos", files=[{"name": "manhole.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((640, 480))}]
    )
    page.wait_for_selector("#photo-list img")
    page.fill("#id_name", "王五")
    page.fill("#id_phone", "138 0013 8001")
    page.screenshot(path="/tmp/resident-report.png", full_page=True)
    page.click("button.send")

    page.wait_for_url("**/report/done/**")
    code = page.inner_text("#case-code").strip()
    case = Case.objects.get(code=code)
    assert (case.channel, case.category.name, case.grid_code, case.reporter_phone) == (
        "photo_report",
        "井盖",
        "G1a",
        "13800138001",
    )
    assert CaseAttachment.objects.filter(case=case, file__public=True).count() == 1
    page.screenshot(path="/tmp/resident-done.png", full_page=True)

    page.click("text=" + page.inner_text("nav.resident-links a.big-button"))
    page.wait_for_url("**/report/track/?code=*")
    with translation.override("zh-hans"):
        assert page.inner_text("#track-status") == str(status_words("reported"))  # the page is in Chinese
    assert DESCRIPTION in page.inner_text(".track .description")  # shown as text, not run
    assert page.locator(".track img").count() == 1
    assert_phone_friendly(page)
    page.screenshot(path="/tmp/resident-track.png", full_page=True)

    # someone else with the code sees the status, not the description
    other = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    stranger = other.new_page()
    stranger.goto(f"{live_server.url}/report/track/?code={code}")
    assert stranger.inner_text("#track-status")
    assert "井盖缺失" not in stranger.inner_text("main") and "王五" not in stranger.inner_text("main")
    other.close()


@pytest.mark.browser
def test_the_public_map_shows_the_report_as_a_dot(live_world, live_server, phone_page):
    from tests.operations.conftest import report

    report(live_world, category=live_world.manhole, at=IN_R1)
    phone_page.goto(f"{live_server.url}/report/map/")
    phone_page.wait_for_selector("#public-map[data-cases='1']")
    assert phone_page.locator("path.public-case").count() == 1
    phone_page.screenshot(path="/tmp/resident-map.png", full_page=True)


@pytest.mark.browser
def test_the_phones_position_is_used_when_allowed_and_a_clear_message_shows_when_not(
    live_world, live_server, phone_page
):
    page = phone_page
    page.goto(f"{live_server.url}/report/")
    page.wait_for_selector("#report-map[data-loaded=true]")
    page.click("#use-position")  # no permission given: the browser refuses
    page.wait_for_selector("#place-status.warning")
    assert page.input_value("#id_lon") == ""
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": IN_R1[1], "longitude": IN_R1[0]})
    page.click("#use-position")
    page.wait_for_function("document.getElementById('id_lon').value !== ''")
    assert abs(float(page.input_value("#id_lon")) - IN_R1[0]) < 1e-6
    assert page.locator("#place-status.warning").count() == 0
