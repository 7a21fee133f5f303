"""The map page draws the units per level and shows the chain of a clicked point (real browser)."""

import pytest

from tests.territory.builders import small_territory
from yiwang.core.actor import Actor
from yiwang.territory.actions import import_territory

pytestmark = pytest.mark.browser


def lonlat_to_page(page, lon, lat):
    """Page coordinates of a lon/lat on the Leaflet map (asks Leaflet, so zoom and padding don't matter)."""
    return page.evaluate(
        """([lon, lat]) => {
            const box = document.getElementById('territory-map').getBoundingClientRect();
            const map = window.__territoryMap;
            const p = map.latLngToContainerPoint([lat, lon]);
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [lon, lat],
    )


def test_map_draws_subdistricts_and_click_shows_the_chain(live_server, transactional_db, page):
    import_territory(Actor.system(), small_territory())
    page.goto(f"{live_server.url}/territory/map/")
    page.wait_for_selector("#territory-map[data-loaded=true]")
    assert page.locator("path.unit-level-2").count() == 3
    assert page.locator("path.unit-level-3").count() == 6
    assert sorted(page.locator("path.unit-level-2").evaluate_all("els => els.map(e => e.dataset.code)")) == [
        "S1",
        "S2",
        "S3",
    ]

    where = lonlat_to_page(page, 121.406, 31.206)  # inside G1a, R1 and M1
    page.mouse.click(where["x"], where["y"])
    page.wait_for_selector("#map-chain ol.chain li")
    chain = page.locator("#map-chain ol.chain li").evaluate_all("els => els.map(e => e.dataset.code)")
    assert chain == ["D1", "S1", "G1a"]
    level4 = page.locator("#map-chain ul.level4 li").evaluate_all("els => els.map(e => e.dataset.code)")
    assert level4 == ["M1", "R1"]

    page.uncheck("input[name=level][value='2']")
    assert page.locator("path.unit-level-2").count() == 0
    page.check("input[name=level][value='2']")
    assert page.locator("path.unit-level-2").count() == 3
