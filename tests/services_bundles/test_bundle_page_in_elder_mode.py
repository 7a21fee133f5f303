"""The bundle page in elder mode (长辈模式): one question a screen, its answers as big links, a few a
screen; then the one form in steps of a few materials, which still sends every file at once."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_department
from tests.services_applications.helpers import make_situation
from tests.services_bundles.helpers import bundle_with_questions
from tests.services_bundles.test_bundle_submission import _png
from yiwang.services.bundles.models import BundleApplication, BundlePart
from yiwang.services.kiosk.elder import COOKIE, PER_SCREEN


def _shop_with_six_materials():
    """The shop bundle of the questionnaire tests plus a part asking three more papers: answered "By a
    proxy", it asks 6 materials (application form, power of attorney, floor plan and the three)."""
    bundle, parts = bundle_with_questions()
    more = make_situation(make_department(name="Health"), materials=("Lease contract", "ID copy", "Kitchen plan"))
    BundlePart.objects.create(bundle=bundle, situation=more, position=3)
    return bundle


@pytest.mark.django_db
def test_elder_mode_asks_one_question_a_screen_with_its_answers_as_links(client):
    _shop_with_six_materials()
    client.cookies[COOKIE] = "1"
    page = client.get("/services/bundles/shop/").content.decode()
    assert "<fieldset>" not in page and 'type="radio"' not in page
    assert page.count('class="button choice"') == 2  # "In person", "By a proxy"
    assert 'href="?q_agent=proxy"' in page or "agent=proxy" in page
    answered = client.get("/services/bundles/shop/", {"q_agent": "proxy"}).content.decode()
    assert answered.count('type="file"') == 6
    steps = re.findall(r'<fieldset class="elder-step" data-step="(\d)">(.*?)</fieldset>', answered, re.S)
    assert [n for n, _ in steps] == ["1", "2"]
    assert [body.count('type="file"') for _, body in steps] == [PER_SCREEN, 6 - PER_SCREEN]
    # outside elder mode: one list, no steps, the radio questionnaire
    client.cookies[COOKIE] = "0"
    plain = client.get("/services/bundles/shop/", {"q_agent": "proxy"}).content.decode()
    assert "elder-step" not in plain and plain.count('type="file"') == 6
    assert 'type="radio"' in client.get("/services/bundles/shop/").content.decode()


@pytest.mark.django_db
def test_a_question_with_many_answers_is_paged_in_elder_mode(client):
    from tests.services_bundles.helpers import with_agent_question
    from yiwang.services.bundles.models import Bundle

    options = tuple((f"o{k}", f"Answer {k}") for k in range(6))
    bundle = Bundle.objects.create(code="many", name="Many answers")
    BundlePart.objects.create(bundle=bundle, situation=with_agent_question(make_department(), options), position=0)
    client.cookies[COOKIE] = "1"
    first = client.get("/services/bundles/many/").content.decode()
    assert first.count('class="button choice"') == PER_SCREEN and "Answer 0" in first and "Answer 5" not in first
    second = client.get("/services/bundles/many/", {"page": 2}).content.decode()
    assert second.count('class="button choice"') == 6 - PER_SCREEN and "Answer 5" in second


@pytest.mark.browser
def test_an_elder_applies_for_the_bundle_step_by_step(transactional_db, live_server, page, tmp_path):
    from tests.services_kiosk.helpers_elder import log_in_in_elder_mode
    from tests.services_kiosk.test_elder_mode_application_flow_in_a_browser import _check_elder_screen

    _shop_with_six_materials()
    log_in_in_elder_mode(page, live_server.url, "/services/bundles/shop/")
    _check_elder_screen(page)  # the question: two big answers
    page.get_by_role("link", name="By a proxy").click()
    expect(page).to_have_url(re.compile(r"q_agent=proxy"))
    step1, step2 = page.locator("fieldset.elder-step").all()
    submit = page.locator("#submit-bundle")
    expect(step1).to_be_visible()
    expect(step2).to_be_hidden()
    expect(submit).to_be_hidden()
    assert len([f for f in page.locator('input[type="file"]').all() if f.is_visible()]) == PER_SCREEN
    scan = tmp_path / "scan.png"
    scan.write_bytes(_png().read())
    for field in step1.locator('input[type="file"]').all():
        field.set_input_files(str(scan))
    step1.locator(".step-next").click()
    expect(step1).to_be_hidden()
    expect(step2).to_be_visible()
    expect(submit).to_be_visible()
    page.screenshot(path="/tmp/bundle-elder-step2.png", full_page=True)
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == []
    step2.locator(".step-back").click()  # back and forth keeps what was chosen
    expect(step1).to_be_visible()
    step1.locator(".step-next").click()
    for field in step2.locator('input[type="file"]').all():
        field.set_input_files(str(scan))
    submit.click()
    expect(page).to_have_url(re.compile(r"/services/bundles/mine/\d+/$"))
    bundled = BundleApplication.objects.get()
    assert bundled.parts.count() == 4
    # all six files went in with the one submission: every application's materials were provided
    names = sorted(m.material.name for a in bundled.parts.all() for m in a.materials.all() if m.file_id)
    assert "Power of attorney" in names and "Kitchen plan" in names and "Floor plan" in names
