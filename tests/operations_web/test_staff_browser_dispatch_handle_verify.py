"""In browsers: a dispatcher filters the queue and dispatches a case; the handler marks it handled with a photo;
the grid worker verifies it on a phone (390 px, touch targets of at least 48 px). Screenshots in /tmp."""

import io

import pytest
from shapely.ops import polylabel

from yiwang.demo.orgs import DEMO_PASSWORD, department_code
from yiwang.demo.seed import QUICK_STEPS, seed_demo


def photo_bytes(colour) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buf, format="JPEG")
    return buf.getvalue()


def log_in(page, base: str, username: str, goto: str):
    page.goto(f"{base}/accounts/login/?next={goto}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{goto}")


def demo_case():
    """The demo district (territory and people), a category of the urban management bureau, a registered case."""
    from yiwang.core.actor import Actor
    from yiwang.core.models import OrgUnit, User
    from yiwang.operations import actions as ops
    from yiwang.operations.models import Category, Pillar

    district = seed_demo(steps=QUICK_STEPS).district
    sub = district.level(2)[0]
    grid = district.children(sub.code)[0]
    spot = polylabel(grid.geometry, tolerance=1e-6)
    bureau = OrgUnit.objects.get(code=department_code("CGZF"))
    top = Category.objects.create(code="ENV", name="市容环境", name_en="City appearance", pillar=Pillar.CONSTRUCTION)
    garbage = Category.objects.create(
        code="ENV-GARBAGE", name="暴露垃圾", name_en="Exposed garbage", parent=top, pillar=Pillar.CONSTRUCTION
    )
    garbage.departments.add(bureau)
    people = {u.username: u for u in User.objects.filter(username__in=["operator", "dispatcher"])}
    case = ops.report_case(
        Actor(user=people["operator"], channel="web"),
        channel="hotline",
        discovery="passive",
        category=garbage,
        lon=spot.x,
        lat=spot.y,
        address="演示路 1 号",
        description="小区门口有一堆垃圾",
        reporter=ops.Reporter(name="李四", phone="13912345678"),
    )
    dispatcher = Actor(user=people["dispatcher"], channel="web")
    case = ops.register(dispatcher, ops.accept(dispatcher, case))
    return case, bureau, sub


@pytest.mark.browser
def test_dispatch_handle_and_verify_in_browsers(transactional_db, live_server, page, phone_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    case, bureau, sub = demo_case()
    base = live_server.url

    # 1. the dispatcher filters the queue (registered cases of the subdistrict) and dispatches the case
    log_in(page, base, "dispatcher", "/ops/queue/")
    page.select_option("#id_status", "registered")
    page.select_option("#id_unit", sub.code)
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(f'tr[data-code="{case.code}"]')
    assert page.locator("#queue-count").get_attribute("data-total") == "1"
    page.check(f'tr[data-code="{case.code}"] input[name=pick]')
    page.select_option("#bulk-form select[name=department]", str(bureau.pk))
    page.screenshot(path="/tmp/ops-queue.png", full_page=True)
    page.click("#bulk-submit")
    page.wait_for_selector("#bulk-summary")
    assert page.locator(f'tr.ok[data-code="{case.code}"]').count() == 1

    # 2. the handler takes it in hand and marks it handled with a photo
    log_in(page, base, "handler", "/ops/inbox/")
    page.click(f'li[data-code="{case.code}"] a')
    page.wait_for_selector('details[data-action="start_handling"]')
    page.click('details[data-action="start_handling"] button[type=submit]')
    page.wait_for_selector('details[data-action="mark_handled"]')
    page.fill('textarea[name="mark_handled-notes"]', "垃圾已清运，地面已冲洗")
    page.set_input_files(
        'input[name="mark_handled-photos"]',
        files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes((40, 160, 60))}],
    )
    page.click('details[data-action="mark_handled"] button[type=submit]')
    page.wait_for_selector(".status-handled")
    page.wait_for_selector(".timeline img.thumb")
    assert page.evaluate("document.querySelector('.timeline img.thumb').naturalWidth") > 0
    page.screenshot(path="/tmp/ops-case-handled.png", full_page=True)

    # 3. the grid worker verifies it on a phone
    phone = phone_page
    log_in(phone, base, "gridworker", "/ops/verify/")
    phone.click(f'li[data-code="{case.code}"] a')
    phone.wait_for_selector(".verify-form")
    for selector in ("label.big-choice.pass", "label.big-choice.fail", "button.big", 'input[name="verify-photos"]'):
        box = phone.locator(selector).bounding_box()
        assert box["height"] >= 48, selector
        assert box["x"] + box["width"] <= 390, selector  # nothing runs off the screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("label.big-choice.pass")
    phone.set_input_files(
        'input[name="verify-photos"]',
        files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes((90, 90, 200))}],
    )
    phone.screenshot(path="/tmp/ops-verify-phone.png", full_page=True)
    phone.click("button.big")
    phone.wait_for_url("**/ops/verify/")
    phone.wait_for_selector(".messages li")

    case.refresh_from_db()
    assert case.status == "verified"
