"""Elder mode of the resident portal: a toggle (session and cookie) that adds a body class the home
page and the services pages honour, with type of at least 24 px."""

import pytest

from tests.factories import login_as, make_user
from yiwang.services.kiosk.elder import COOKIE

pytestmark = pytest.mark.django_db


def _body_class(html: str) -> str:
    start = html.index("<body")
    return html[start : html.index(">", start)]


def test_the_toggle_switches_the_home_page_to_elder_mode_and_back(client):
    assert "elder-mode" not in _body_class(client.get("/").content.decode())
    response = client.post("/services/kiosk/elder/", {"on": "1", "next": "/"})
    assert response["Location"] == "/" and response.cookies[COOKIE].value == "1"
    assert "elder-mode" in _body_class(client.get("/").content.decode())
    client.post("/services/kiosk/elder/", {"on": "0", "next": "/"})
    assert "elder-mode" not in _body_class(client.get("/").content.decode())


def test_the_services_portal_honours_elder_mode(client):
    login_as(client, make_user())
    client.post("/services/kiosk/elder/", {"next": "/services/apply/"})
    assert "elder-mode" in _body_class(client.get("/services/apply/").content.decode())


def test_the_cookie_keeps_elder_mode_in_a_new_session(client):
    client.cookies[COOKIE] = "1"
    assert "elder-mode" in _body_class(client.get("/").content.decode())


def test_the_toggle_refuses_to_send_people_elsewhere(client):
    response = client.post("/services/kiosk/elder/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.browser
def test_elder_mode_makes_the_home_page_type_at_least_24px(transactional_db, live_server, page):
    page.goto(live_server.url + "/")
    page.locator(".elder-toggle button").click()
    page.wait_for_load_state()
    page.locator("body.elder-mode").wait_for()
    for element in page.locator("main p, main li a").all():
        if element.is_visible():
            assert float(element.evaluate("e => getComputedStyle(e).fontSize").rstrip("px")) >= 24
    box = page.locator(".elder-toggle button").bounding_box()
    assert box["height"] >= 48
