"""In a browser on the kiosk's screen: big type, big targets, six choices at most, accessible; and the
idle countdown wipes the previous applicant from the page, the history and the server."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_department
from tests.services_applications.helpers import make_situation
from tests.services_kiosk.helpers import check_kiosk_screen, item_with_question
from tests.services_licences.conftest import id_number
from yiwang.core.identity.cardreader import CardData

_check_screen = check_kiosk_screen


@pytest.mark.browser
def test_kiosk_screens_have_big_type_big_targets_few_choices_and_pass_axe(
    transactional_db, live_server, page, card_reader
):
    for n in range(8):
        make_situation(make_department(name=f"部门{n}"), materials=())
    department = make_department(name="市场监督管理局")
    item, _first, _renewal = item_with_question(department)
    page.goto(live_server.url + "/services/kiosk/")
    _check_screen(page)
    assert page.locator(".kiosk-pager").is_visible()  # nine categories: a "more" page
    page.goto(live_server.url + f"/services/kiosk/item/{item.code}/")
    _check_screen(page)
    page.locator(".choice").first.click()
    expect(page).to_have_url(re.compile(r"q_kind="))
    _check_screen(page)


@pytest.mark.browser
def test_the_idle_countdown_wipes_the_previous_applicant(transactional_db, live_server, page, card_reader, settings):
    settings.KIOSK = {"IDLE_SECONDS": 60, "WARN_SECONDS": 20}
    item, _first, _renewal = item_with_question()
    card_reader.insert(CardData(id_number(), "欧阳娜娜"))
    page.goto(live_server.url + f"/services/kiosk/item/{item.code}/?q_kind=first")
    page.locator(".choice").first.click()  # apply now → place the card
    expect(page).to_have_url(re.compile(r"/card/\?next="))
    page.locator("button.choice").click()  # read my card
    expect(page).to_have_url(re.compile(r"/kiosk/item/[^?]+/\?q_kind=first$"))  # back to the same answer
    page.locator(".choice").first.click()  # apply now
    expect(page).to_have_url(re.compile(r"/application/"))
    assert "欧阳娜娜" in page.content()
    settings.KIOSK = {"IDLE_SECONDS": 1, "WARN_SECONDS": 2}
    page.reload()
    assert "欧阳娜娜" in page.content()
    dialog = page.locator("#idle-dialog")
    dialog.wait_for(state="visible", timeout=5_000)
    assert page.locator("#idle-count").inner_text().strip() in {"1", "2"}
    expect(page).to_have_url(live_server.url + "/services/kiosk/", timeout=10_000)
    assert "欧阳娜娜" not in page.content()
    page.go_back()
    page.wait_for_load_state()
    assert "欧阳娜娜" not in page.content()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore(session_key=cookies.get("sessionid"))
    assert "kiosk_card" not in store.load() and "_auth_user_id" not in store.load()


@pytest.mark.browser
def test_touching_the_continue_button_keeps_the_session(transactional_db, live_server, page, card_reader, settings):
    settings.KIOSK = {"IDLE_SECONDS": 1, "WARN_SECONDS": 3}
    item, _first, _renewal = item_with_question()
    page.goto(live_server.url + f"/services/kiosk/item/{item.code}/")
    page.locator("#idle-dialog").wait_for(state="visible", timeout=5_000)
    page.locator("#idle-continue").click()
    assert not page.locator("#idle-dialog").is_visible()
    page.wait_for_timeout(1_500)
    assert "/item/" in page.url
