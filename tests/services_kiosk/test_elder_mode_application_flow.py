"""Elder mode on the resident portal's application flow: at most four choices a screen (the rest on the
next screen), the item code left out; without elder mode everything is on one page as before."""

import re

import pytest

from tests.factories import login_as, make_user
from tests.services_kiosk.helpers_elder import item_with_many_answers, many_items, situation_with_many_materials
from yiwang.core.actor import Actor
from yiwang.services.applications import actions
from yiwang.services.kiosk.elder import COOKIE, PER_SCREEN

pytestmark = pytest.mark.django_db


def _choices(html: str) -> int:
    return len(re.findall(r'class="[^"]*\bchoice\b', html))


def _elder(client):
    resident = make_user()
    login_as(client, resident)
    client.post("/services/kiosk/elder/", {"on": "1"})
    return resident


def test_search_results_four_a_screen_in_elder_mode(client):
    items = many_items(6)
    _elder(client)
    first = client.get("/services/apply/", {"q": "Pension"}).content.decode()
    second = client.get("/services/apply/", {"q": "Pension", "page": 2}).content.decode()
    assert _choices(first) == PER_SCREEN == 4 and _choices(second) == 2
    assert "q=Pension&amp;page=2" in first
    assert f"<small>{items[0].code}" not in first and "<small>" not in first  # codes left out in elder mode
    shown = [i.name for i in items if i.name in first] + [i.name for i in items if i.name in second]
    assert sorted(shown) == sorted(i.name for i in items)


def test_without_elder_mode_all_results_on_one_page(client):
    items = many_items(6)
    login_as(client, make_user())
    page = client.get("/services/apply/", {"q": "Pension"}).content.decode()
    assert _choices(page) == 6 and all(i.code in page for i in items)


def test_guidance_offers_four_answers_a_screen_as_buttons(client):
    item = item_with_many_answers(6)
    _elder(client)
    first = client.get(f"/services/apply/item/{item.code}/").content.decode()
    assert _choices(first) == 4 and 'type="radio"' not in first
    second = client.get(f"/services/apply/item/{item.code}/", {"page": 2}).content.decode()
    assert _choices(second) == 2 and "q_who=o5" in second
    chosen = client.get(f"/services/apply/item/{item.code}/", {"q_who": "o5"}).content.decode()
    assert "Case 5" in chosen and _choices(chosen) == 1  # "start the application"


def test_the_application_page_keeps_uploads_and_actions_within_four(client):
    resident = _elder(client)
    situation = situation_with_many_materials(6)
    application = actions.create_application(Actor(user=resident, channel="web"), situation=situation, channel="online")
    url = f"/services/apply/{application.code}/"
    pages = [client.get(url, {"m": n}).content.decode() for n in (1, 2, 3)]
    assert all(_choices(p) <= PER_SCREEN for p in pages)
    assert all('value="withdraw"' in p and 'value="submit"' in p for p in pages)  # the actions on every screen
    seen = {f"Paper {k}" for k in range(6) for p in pages if f"Paper {k}" in p}
    assert seen == {f"Paper {k}" for k in range(6)}  # every material reachable, a few a screen
    client.cookies[COOKIE] = "0"
    client.post("/services/kiosk/elder/", {"on": "0"})
    plain = client.get(url).content.decode()
    assert _choices(plain) == 8  # six uploads, submit and withdraw on one page


def test_the_bundles_four_a_screen_in_elder_mode(client):
    from yiwang.services.bundles.models import Bundle

    for n in range(6):
        Bundle.objects.create(code=f"b{n}", name=f"Bundle {n}")
    assert _choices(client.get("/services/bundles/").content.decode()) == 6
    client.post("/services/kiosk/elder/", {"on": "1"})
    first = client.get("/services/bundles/").content.decode()
    second = client.get("/services/bundles/", {"page": 2}).content.decode()
    assert (_choices(first), _choices(second)) == (4, 2) and "page=2" in first
