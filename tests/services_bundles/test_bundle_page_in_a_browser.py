"""The bundle page in a browser: one form whose every field is labelled, no serious axe violation."""

import pytest

from tests.services_bundles.test_bundle_submission import _restaurant


@pytest.mark.browser
def test_the_bundle_page_is_accessible_and_asks_each_material_once(transactional_db, live_server, page):
    _restaurant()
    page.goto(live_server.url + "/services/bundles/restaurant/")
    assert page.locator('input[type="file"]').count() == 4
    assert page.locator(".days-bundle").inner_text() == "10"
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
