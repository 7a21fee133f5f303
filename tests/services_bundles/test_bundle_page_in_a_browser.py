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


@pytest.mark.browser
def test_the_bundle_questionnaire_is_accessible_and_leads_to_the_form(transactional_db, live_server, page):
    from tests.services_bundles.helpers import bundle_with_questions

    bundle_with_questions()
    page.goto(live_server.url + "/services/bundles/shop/")
    assert page.locator("fieldset legend").count() == 1 and page.locator('input[type="file"]').count() == 0
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == []
    page.get_by_label("By a proxy").check()
    page.locator(".bundle-questions button[type=submit]").click()
    page.wait_for_url("**q_agent=proxy")
    assert page.locator('input[type="file"]').count() == 3
