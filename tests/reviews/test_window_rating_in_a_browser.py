"""At the window, in a browser: a delivered application's page shows the QR code (an image that loads),
the rating-pad link and the SMS form; sending the SMS link is confirmed; the page passes axe-core."""

import re

import pytest

from tests.reviews.helpers import delivered_application
from yiwang.core.notify.models import Notification


@pytest.mark.browser
def test_the_clerk_offers_the_rating_three_ways(transactional_db, live_server, page):
    application, opportunity, desk = delivered_application("window")
    desk.set_password("pw-clerk")
    desk.save()
    page.goto(f"{live_server.url}/accounts/login/?next=/services/window/{application.code}/")
    page.fill("#id_username", desk.username)
    page.fill("#id_password", "pw-clerk")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/services/window/{application.code}/$"))
    qr = page.locator(".rating-qr img")
    qr.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert page.locator("#rate-on-spot").get_attribute("href").endswith(f"/{opportunity.token}/?via=on_spot")
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.fill("#rating-phone", "13912345678")
    page.get_by_role("button", name=re.compile("SMS|短信")).click()  # the browser asks for Chinese
    page.wait_for_load_state()
    assert Notification.objects.filter(channel="sms", address="13912345678").count() == 1
    assert page.get_by_text(re.compile("sent by SMS|已通过短信发送")).count() >= 1
