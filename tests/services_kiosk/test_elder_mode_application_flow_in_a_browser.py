"""The resident portal's application flow in elder mode, in a browser: at most four choices a screen,
text of at least 24 px, targets of at least 48 px, and axe-core finds nothing serious or critical."""

import re

import pytest
from playwright.sync_api import expect

from tests.services_kiosk.helpers_elder import item_with_many_answers, log_in_in_elder_mode, many_items
from yiwang.services.kiosk.elder import PER_SCREEN


def _check_elder_screen(page):
    choices = [c for c in page.locator("main .choice").all() if c.is_visible()]
    assert 0 < len(choices) <= PER_SCREEN
    for target in page.locator("main a.choice, main button, main a.button").all():
        if target.is_visible():
            box = target.bounding_box()
            assert box["height"] >= 48 and box["width"] >= 48, target.inner_text()
    for text in page.locator("main p, main li, main td, main th, main label, main a, main button").all():
        if text.is_visible():
            size = float(text.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
            assert size >= 24, text.inner_text()
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.browser
def test_the_application_flow_in_elder_mode(transactional_db, live_server, page):
    many_items(6, word="Pension")
    item = item_with_many_answers(6)
    log_in_in_elder_mode(page, live_server.url, "/services/apply/")
    page.goto(f"{live_server.url}/services/apply/?q=Pension")
    _check_elder_screen(page)
    page.goto(f"{live_server.url}/services/apply/item/{item.code}/")
    _check_elder_screen(page)
    page.locator(".elder-pager a").last.click()  # the other answers
    expect(page).to_have_url(re.compile(r"page=2"))
    _check_elder_screen(page)
    page.locator("main a.choice").last.click()  # the last answer → its situation
    expect(page).to_have_url(re.compile(r"q_who=o5"))
    _check_elder_screen(page)
    page.locator("main button.choice").click()  # start the application
    expect(page).to_have_url(re.compile(r"/services/apply/SQ\d+/$"))
    _check_elder_screen(page)
