"""In a browser: paste a licence token, see it valid with the masked holder; a forged one invalid; axe-clean."""

import pytest


@pytest.mark.browser
def test_verify_a_pasted_token_in_a_browser(transactional_db, live_server, page, issue):
    from axe_playwright_python.sync_playwright import Axe

    licence, token = issue(holder_id_number="11010519491231002X", holder_name="王小明")
    page.goto(f"{live_server.url}/services/licences/verify/")
    page.fill("#credential", token)
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#result.ok")
    result = page.locator("#result").inner_text()
    assert "(valid)" in result and "110***********002X" in result and licence.number in result
    assert "11010519491231002X" not in page.content()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    page.screenshot(path="/tmp/licences-verify-valid.png", full_page=True)
    page.fill("#credential", token[:-4] + "AAAA")
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#result.bad")
    assert "(bad_signature)" in page.locator("#result").inner_text()
