"""axe finds no serious or critical accessibility problem on the resident pages, errors shown included."""

import pytest

from tests.operations.conftest import report

from .conftest import IN_R1, build_world


@pytest.fixture
def live_world(transactional_db, monkeypatch):
    return build_world(monkeypatch)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.browser
def test_report_track_and_map_pages_pass_axe(live_world, live_server, phone_page):
    case = report(live_world, category=live_world.manhole, at=IN_R1)
    page = phone_page
    page.goto(f"{live_server.url}/report/")
    page.wait_for_selector("#report-map[data-loaded=true]")
    assert serious_violations(page) == []
    page.click("button.send")  # nothing filled in: every mistake is listed
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"  # read out first
    assert page.locator("#error-summary li").count() >= 3
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/report/track/?code={case.code}")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/report/map/")
    page.wait_for_selector("#public-map[data-cases='1']")
    assert serious_violations(page) == []
