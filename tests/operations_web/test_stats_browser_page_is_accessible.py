"""In a browser: the statistics page draws its SVG charts beside the tables, with no serious accessibility violation."""

import pytest

from tests.operations_web.test_staff_browser_dispatch_handle_verify import demo_case, log_in


@pytest.mark.browser
def test_statistics_page_in_a_browser(transactional_db, live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    demo_case()
    log_in(page, live_server.url, "opscentre", "/ops/stats/")
    assert page.locator("svg.chart").count() == 6
    box = page.locator("#chart-channel rect").first.bounding_box()
    assert box["width"] > 100  # the one channel is the longest bar
    page.screenshot(path="/tmp/ops-stats.png", full_page=True)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
