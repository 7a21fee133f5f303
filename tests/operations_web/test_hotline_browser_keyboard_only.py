"""The 12345 operator records a case with the keyboard only, and sees the caller's earlier cases.

Keystrokes are counted: every key press and every character typed (a Chinese character counts as one,
as if typed through an input method in one stroke). Beyond the text itself, the form takes exactly six
keys: Tab, Enter (category), Tab, Enter (place), Tab, Ctrl+Enter.
"""

import pytest

from tests.operations.conftest import report
from yiwang.demo.orgs import DEMO_PASSWORD
from yiwang.operations.actions import Reporter
from yiwang.operations.models import Case

from .conftest import IN_G2A, IN_R1, build_world
from .test_resident_browser_pages_are_accessible import serious_violations

CALLER = "13912345678"
ADDRESS = "幸福小区3号楼"
DESCRIPTION = "井盖缺失，<b>车辆</b>经过有危险"


@pytest.fixture
def live_world(transactional_db, monkeypatch):
    w = build_world(monkeypatch)
    w.hotline.set_password(DEMO_PASSWORD)
    w.hotline.save()
    return w


class Keyboard:
    """Playwright's keyboard, counting keystrokes: keys pressed and characters typed."""

    def __init__(self, page):
        self.page, self.keys, self.chars = page, [], 0

    def type(self, text):
        self.page.keyboard.type(text)
        self.chars += len(text)

    def press(self, key):
        self.page.keyboard.press(key)
        self.keys.append(key)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/?next=/hotline/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/hotline/")
    page.wait_for_selector("#hotline-map[data-loaded=true]")


@pytest.mark.browser
def test_the_operator_records_a_case_keyboard_only_and_sees_the_callers_earlier_cases(live_world, live_server, page):
    earlier = [
        report(live_world, at=IN_R1, reporter=Reporter(name="李四", phone=CALLER)),
        report(live_world, at=IN_G2A, category=live_world.flood, reporter=Reporter(name="李四", phone=CALLER)),
    ]
    log_in(page, live_server, live_world.hotline)
    assert page.evaluate("document.activeElement.id") == "id_phone"  # focus starts in the phone
    keys = Keyboard(page)

    keys.type(CALLER)
    page.wait_for_selector(f"#caller-cases[data-phone='{CALLER}']")
    shown = page.eval_on_selector_all("#caller-cases .code", "els => els.map(e => e.textContent)")
    assert shown == [earlier[1].code, earlier[0].code]
    assert CALLER in page.inner_text("#caller-cases")  # the hotline may see the caller's number in full

    keys.press("Tab")
    keys.type("jg")
    page.wait_for_selector("#category-list li[data-id]")
    page.screenshot(path="/tmp/hotline-typeahead.png")
    keys.press("Enter")
    page.wait_for_function(f"document.getElementById('id_category').value === '{live_world.manhole.pk}'")
    assert page.input_value("#id_category_text") == "市政设施 / 井盖"

    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_address"
    keys.type(ADDRESS)
    keys.press("Enter")
    page.wait_for_function("document.getElementById('id_lon').value !== ''")
    assert "东城一网格" in page.inner_text("#place-where")

    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_description"
    keys.type(DESCRIPTION)
    page.screenshot(path="/tmp/hotline-entry.png", full_page=True)
    keys.press("Control+Enter")

    page.wait_for_url("**/hotline/?recorded=*")
    code = page.inner_text("#recorded-code")
    case = Case.objects.get(code=code)
    assert (case.channel, case.discovery, case.category, case.grid_code) == (
        "hotline",
        "passive",
        live_world.manhole,
        "G1a",
    )
    assert (case.reporter_phone, case.reporter_name, case.address) == (CALLER, "李四", ADDRESS)  # name from last call
    assert case.description == DESCRIPTION
    assert keys.keys == ["Tab", "Enter", "Tab", "Enter", "Tab", "Control+Enter"]
    assert keys.chars + len(keys.keys) == len(CALLER) + 2 + len(ADDRESS) + len(DESCRIPTION) + 6
    assert page.evaluate("document.activeElement.id") == "id_phone"  # ready for the next call
    page.screenshot(path="/tmp/hotline-recorded.png", full_page=True)


@pytest.mark.browser
def test_an_ambiguous_place_is_picked_with_the_arrow_keys_and_errors_show_inline(live_world, live_server, page):
    log_in(page, live_server, live_world.hotline)
    page.keyboard.type("021 6234 5678")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # no category yet
    page.keyboard.type("幸福")
    page.wait_for_selector("#place-list li[data-code='P1']")
    listed = page.eval_on_selector_all("#place-list li strong", "els => els.map(e => e.textContent)")
    assert sorted(listed) == ["幸福公园", "幸福小区"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('id_lon').value !== ''")
    assert listed[1] in page.inner_text("#place-where")
    page.keyboard.press("Tab")
    page.keyboard.type("公园里有人乱扔垃圾")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error-summary")
    assert not Case.objects.exists()  # nothing half-saved
    assert page.get_attribute("#id_category_text", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "id_category_text"  # straight to what is missing
    assert page.input_value("#id_description") == "公园里有人乱扔垃圾"
    page.screenshot(path="/tmp/hotline-errors.png", full_page=True)
    assert serious_violations(page) == []  # axe: nothing serious, with the errors shown
