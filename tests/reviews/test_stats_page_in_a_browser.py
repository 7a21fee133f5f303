"""The statistics page in a browser: both networks side by side, readable by assistive technology
(axe-core: no serious or critical violations), and the CSV link downloads the figures."""

import re

import pytest

from tests.factories import make_user
from tests.reviews.helpers import make_dept, open_for, rate_by_token
from yiwang.core.roles import Role


@pytest.mark.browser
def test_the_statistics_page_passes_axe_and_downloads_csv(transactional_db, live_server, page):
    dept = make_dept(name="民政局")
    for network, level in (("services", 5), ("services", 2), ("operations", 4)):
        rate_by_token(open_for(dept, network=network, window_code="W01", item_code="I1"), level)
    leader = make_user(Role.LEADER)
    page.goto(f"{live_server.url}/accounts/login/?next=/reviews/stats/")
    page.fill("#id_username", leader.username)
    page.fill("#id_password", "pw-yiwang-test")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reviews/stats/$"))
    row = page.locator("#side-by-side tbody tr").first
    cells = [c.inner_text().strip() for c in row.locator("td").all()]
    assert row.locator("th").inner_text().strip() == "民政局"
    assert cells == ["1", "100%", "0", "2", "50%", "1"]  # operations | services
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    with page.expect_download() as download:
        page.locator("#csv-ratings").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("dimension,key,group,network") and "民政局,services" in text
