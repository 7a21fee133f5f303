"""In a browser: the operations centre sees the filtered cases on the map (plain background, no tile server)."""

import pytest

from tests.operations_web.test_staff_browser_dispatch_handle_verify import demo_case, log_in


@pytest.mark.browser
def test_the_map_draws_the_filtered_cases(transactional_db, live_server, page):
    case, _bureau, sub = demo_case()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    log_in(page, live_server.url, "opscentre", "/ops/queue/")
    page.goto(f"{live_server.url}/ops/map/?status=registered&unit={sub.code}")
    page.wait_for_selector("#case-map[data-loaded=true]")
    drawn = page.eval_on_selector_all("path.case-point", "els => els.map(e => e.dataset.code)")
    assert drawn == [case.code]
    page.click("path.case-point", force=True)
    page.wait_for_selector(f'.leaflet-popup a[href="/ops/cases/{case.code}/"]')
    page.wait_for_timeout(400)  # the popup fades in
    page.screenshot(path="/tmp/ops-map.png", full_page=True)
    # nothing is loaded from outside the server
    assert all(url.startswith(live_server.url) for url in requests), [u for u in requests if live_server.url not in u]
    # another filter: no case
    page.goto(f"{live_server.url}/ops/map/?status=closed")
    page.wait_for_selector("#case-map[data-loaded=true]")
    assert page.locator("path.case-point").count() == 0


@pytest.mark.browser
def test_the_case_page_of_a_dispatcher_has_no_serious_accessibility_violation(transactional_db, live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    case, _bureau, _sub = demo_case()
    log_in(page, live_server.url, "dispatcher", f"/ops/cases/{case.code}/")
    offered = page.eval_on_selector_all("details.action", "els => els.map(e => e.dataset.action)")
    assert offered == ["dispatch", "supervise", "suspend", "merge", "split"]
    assert page.locator("#route-hint").count() == 1
    page.screenshot(path="/tmp/ops-case-dispatcher.png", full_page=True)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
