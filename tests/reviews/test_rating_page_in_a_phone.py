"""In a phone browser: big text, big one-tap buttons, no login, and an accessible page."""

import pytest

from tests.reviews.helpers import make_dept, open_for
from yiwang.reviews.models import Level, Rating


@pytest.mark.browser
def test_an_elderly_resident_rates_with_one_tap_on_a_phone(transactional_db, live_server, phone_page):
    opportunity = open_for(make_dept(name="Pension office"))
    phone_page.goto(live_server.url + opportunity.rating_path)
    buttons = phone_page.locator("button.rate-btn")
    assert buttons.count() == 5
    for i in range(5):
        button = buttons.nth(i)
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # inside a 390 px wide phone
        label_px = float(button.locator(".label").evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
        assert label_px >= 24
        assert button.locator("svg.face").is_visible()  # a face beside the words (SVG: no emoji font needed)
        assert button.locator(".label").inner_text().strip()
    body_px = float(phone_page.locator(".rate-page p").first.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
    assert body_px >= 24
    # no horizontal scrolling on a 390 px phone
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(phone_page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []

    phone_page.locator(f'button[data-level="{Level.SATISFIED}"]').tap()
    phone_page.wait_for_url("**/thanks/")
    assert Rating.objects.get(opportunity=opportunity).level == Level.SATISFIED
    # then, if they wish, a comment
    phone_page.locator("#rate-comment").fill("The clerk explained everything twice. Thank you.")
    phone_page.locator("button.big").click()
    phone_page.wait_for_load_state()
    assert Rating.objects.get(opportunity=opportunity).comment.startswith("The clerk explained")
    assert phone_page.locator("#rate-comment").count() == 0
