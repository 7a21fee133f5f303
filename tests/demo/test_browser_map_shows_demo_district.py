"""In a browser: log in, open the map of the seeded demo district, see 13 subdistricts, click a grid."""

import pytest
from shapely.ops import polylabel

from yiwang.demo.orgs import DEMO_PASSWORD, user_specs
from yiwang.demo.seed import QUICK_STEPS, seed_demo

SCREENSHOT = "/tmp/map.png"


@pytest.mark.browser
def test_map_draws_the_demo_subdistricts_and_shows_the_chain_of_a_clicked_point(transactional_db, live_server, page):
    district = seed_demo(steps=QUICK_STEPS).district  # territory and users only: fast
    sub = district.level(2)[0]
    grid = district.children(sub.code)[0]
    home = max((u for u in district.children(grid.code) if u.kind == "residential"), key=lambda u: u.geometry.area)
    target = polylabel(home.geometry, tolerance=1e-6)  # well inside the area, far from its edges

    page.goto(f"{live_server.url}/accounts/login/?next=/territory/map/")
    page.fill("#id_username", "gridworker")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/territory/map/")
    page.wait_for_selector("#territory-map[data-loaded=true]")
    gridworker = next(u for u in user_specs(district) if u.username == "gridworker")
    assert page.locator(".topbar .who").inner_text() == gridworker.display_name  # logged in

    drawn = page.eval_on_selector_all('path[data-level="2"]', "els => els.map(e => e.dataset.code)")
    assert sorted(drawn) == sorted(u.code for u in district.level(2))
    assert page.locator('path[data-level="3"]').count() == 63

    x, y = page.evaluate(
        "([lat, lng]) => { const p = window.__territoryMap.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
        [target.y, target.x],
    )
    page.locator("#territory-map").click(position={"x": x, "y": y})
    page.wait_for_selector("#map-chain ol.chain li")
    chain = page.eval_on_selector_all("#map-chain ol.chain li", "els => els.map(e => e.dataset.code)")
    assert chain == [district.level(1)[0].code, sub.code, grid.code]
    level4 = page.eval_on_selector_all("#map-chain ul.level4 li", "els => els.map(e => e.dataset.code)")
    assert home.code in level4
    panel = page.locator("#map-chain").inner_text()
    for name in (sub.name, grid.name, home.name):
        assert name in panel
    page.screenshot(path=SCREENSHOT, full_page=True)
