"""A one-thing bundle at the kiosk in a browser: every screen keeps the kiosk's rules (six choices at
most, text ≥ 24 px, targets ≥ 48 px) and passes axe-core; the card is read and the bundle submitted."""

import re

import pytest
from playwright.sync_api import expect

from tests.services_kiosk.helpers import check_kiosk_screen, hold_licence, kiosk_bundle
from tests.services_licences.conftest import id_number
from yiwang.core.identity.cardreader import CardData
from yiwang.services.bundles.models import BundleApplication


@pytest.mark.browser
def test_a_bundle_at_the_kiosk_screen_by_screen(transactional_db, live_server, page, card_reader, tmp_path):
    kiosk_bundle()
    number = id_number()
    hold_licence(number)
    card_reader.insert(CardData(number, "欧阳娜娜"))
    page.goto(live_server.url + "/services/kiosk/")
    check_kiosk_screen(page)
    page.locator("a.choice.bundles").click()
    expect(page).to_have_url(re.compile(r"/kiosk/bundles/$"))
    check_kiosk_screen(page)
    page.get_by_text("开店一件事").click()
    expect(page).to_have_url(re.compile(r"/kiosk/bundle/open-shop/$"))
    check_kiosk_screen(page)
    page.locator("#bundle-start").click()
    expect(page).to_have_url(re.compile(r"/kiosk/card/\?next="))
    page.locator("button.choice").click()  # read my card
    expect(page).to_have_url(re.compile(r"/kiosk/bundle/open-shop/apply/$"))
    check_kiosk_screen(page)
    assert page.locator(".badge.exempt").count() == 1
    scan = tmp_path / "scan.png"
    from PIL import Image

    Image.new("RGB", (8, 8), "white").save(scan)
    for field in page.locator("input[type=file]").all():
        field.set_input_files(str(scan))
    page.locator("#submit-bundle").click()
    expect(page).to_have_url(re.compile(r"/kiosk/bundle-application/\d+/$"))
    check_kiosk_screen(page)
    assert BundleApplication.objects.get().parts.count() == 3
    page.locator('button[data-level="5"]').click()
    expect(page.locator(".kiosk-note")).to_be_visible()


@pytest.mark.browser
def test_the_bundles_question_screen_keeps_the_kiosk_rules(transactional_db, live_server, page, card_reader):
    from tests.services_bundles.helpers import bundle_with_questions

    bundle_with_questions()
    card_reader.insert(CardData(id_number(), "欧阳娜娜"))
    page.goto(live_server.url + "/services/kiosk/bundle/shop/apply/")
    page.locator("button.choice").click()  # read my card
    expect(page).to_have_url(re.compile(r"/kiosk/bundle/shop/apply/$"))
    check_kiosk_screen(page)
    assert page.locator(".kiosk-lead").inner_text() == "Who applies?"
    page.get_by_text("By a proxy").click()
    expect(page).to_have_url(re.compile(r"q_agent=proxy"))
    check_kiosk_screen(page)
    assert page.locator("input[type=file]").count() == 3
