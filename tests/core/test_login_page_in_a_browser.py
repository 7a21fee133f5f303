"""In a browser: log in with a password, see who is logged in, log out; the page passes axe."""

import pytest

from tests.factories import make_user
from yiwang.core.models import LoginRecord
from yiwang.core.roles import Role


@pytest.mark.browser
def test_log_in_and_out_in_a_browser(transactional_db, live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    make_user(Role.DISPATCHER, username="disp", password="pw-long-enough-1", display_name="周派遣")
    page.goto(f"{live_server.url}/accounts/login/")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    page.fill("#id_username", "disp")
    page.fill("#id_password", "wrong")
    page.click("main button[type=submit]")
    assert page.locator("#login-error").is_visible()
    page.fill("#id_password", "pw-long-enough-1")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".account .who").inner_text() == "周派遣"
    page.screenshot(path="/tmp/core-logged-in.png")
    assert LoginRecord.objects.filter(user__username="disp", method="password").count() == 1
    page.click(".account form button")
    page.wait_for_load_state()
    assert page.locator(".account a[href='/accounts/login/']").is_visible()
