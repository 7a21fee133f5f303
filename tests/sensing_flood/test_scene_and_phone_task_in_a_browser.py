"""In a browser: the operations centre's scene page (warning, duty, progress, the map with shelters, depots,
alerts and cases; nothing loaded from outside; axe-clean), and a grid worker doing a checklist on a phone."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.sensing_flood.conftest import T0, build_flood_world, raise_alert

PASSWORD = "pw-yiwang-test"


def log_in(page, base: str, username: str, goto: str):
    page.goto(f"{base}/accounts/login/?next={goto}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{goto}")


def serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def scene_world():
    from tests.sensing_flood.conftest import GAUGE
    from yiwang.core.actor import Actor
    from yiwang.sensing.alerts.models import Rule
    from yiwang.sensing.flood import actions
    from yiwang.sensing.flood.models import ChecklistItem, ChecklistTemplate
    from yiwang.sensing.models import Device, DeviceType

    w = build_flood_world()
    ops = Actor(user=w.ops)
    kind = DeviceType.objects.create(code="water-level", name="Water level gauge", unit="m")
    gauge = Device.objects.create(
        code="wl-001",
        name="Underpass gauge",
        type=kind,
        lon=GAUGE[0],
        lat=GAUGE[1],
        key_hash="0" * 64,
        mqtt_password_hash="x",
        grid_code="G1a",
        subdistrict_code="S1",
    )
    rule = Rule.objects.create(name="Water level", device_type=kind, kind="threshold", condition="water-level",
                               params={"levels": {"red": 0.5}}, category_code="SAFE-FLOOD")  # fmt: skip
    raise_alert(rule, gauge, "red", T0)
    now = timezone.now()
    actions.enter_warning(ops, kind="rainstorm", level="orange", issued_at=now.isoformat(), source="上海中心气象台")
    today = timezone.localdate()
    for offset in (-1, 0):
        actions.add_duty_shift(ops, date=today + dt.timedelta(days=offset), shift="full", role="leader",
                               name="王带班", phone="13900000001")  # fmt: skip
    actions.set_shelter_status(ops, "SHL-1", is_open=True, occupancy=80)
    checklist = ChecklistTemplate.objects.create(code="pre-flood", name="汛前网格检查", target="grid")
    for i, text in enumerate(("雨水口畅通 Drains clear", "挡水板到位 Barriers in place")):
        ChecklistItem.objects.create(template=checklist, position=i, text=text)
    actions.issue_checklist(ops, checklist, due_on=today + dt.timedelta(days=7))
    return w


@pytest.mark.browser
def test_scene_page_and_a_grid_worker_doing_a_checklist_on_a_phone(transactional_db, live_server, page, phone_page):
    from yiwang.sensing.flood.models import InspectionTask

    scene_world()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    log_in(page, live_server.url, "ops", "/flood/")
    page.wait_for_selector("#flood-map[data-loaded=true]")
    layers = page.eval_on_selector_all(
        "path.flood-point", "els => els.map(e => e.dataset.layer + ':' + e.dataset.code)"
    )
    assert sorted(layers) == sorted(["shelter:SHL-1", "material_depot:DEP-1", "alert:wl-001",
                                     f"case:{_case_code()}"])  # fmt: skip
    assert page.locator('#warnings .warning[data-level="orange"]').count() == 1
    assert "13900000001" in page.inner_text("#duty")
    assert page.inner_text('#progress tr[data-code="S2"] .count') == "0 / 2"
    page.click("path.flood-shelter", force=True)
    page.wait_for_selector(".leaflet-popup-content")
    assert "80" in page.inner_text(".leaflet-popup-content")
    page.screenshot(path="/tmp/flood-scene.png", full_page=True)
    assert all(url.startswith(live_server.url) for url in requests), [u for u in requests if live_server.url not in u]
    assert not serious(page)

    log_in(phone_page, live_server.url, "grid_g2a", "/flood/tasks/")
    phone_page.click("a.task-link")
    phone_page.wait_for_selector("form.task-form")
    assert not serious(phone_page)
    phone_page.click("fieldset.item:nth-of-type(1) label.pass")
    phone_page.click("fieldset.item:nth-of-type(2) label.fail")
    phone_page.click("button.big")  # a problem without a note: refused, nothing saved, answers kept
    phone_page.wait_for_selector("#task-error")
    assert phone_page.is_checked("fieldset.item:nth-of-type(2) input[value=problem]")
    phone_page.fill("#task-note", "2号门挡水板缺失 Barrier missing at gate 2")
    phone_page.click("button.big")
    phone_page.wait_for_selector("#no-tasks")
    phone_page.screenshot(path="/tmp/flood-task-done.png", full_page=True)
    task = InspectionTask.objects.get(grid_code="G2a")
    assert (task.status, task.results) == ("done", {"0": "ok", "1": "problem"})
    page.reload()
    page.wait_for_selector("#progress")
    assert page.inner_text('#progress tr[data-code="S2"] .count') == "1 / 2"


def _case_code():
    from yiwang.operations.models import Case

    return Case.objects.get().code
