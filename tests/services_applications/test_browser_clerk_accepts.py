"""In a browser: a window clerk opens the desk, picks a submitted application and accepts it."""

import pytest

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.services.applications import actions
from yiwang.services.applications.models import Application
from yiwang.services.applications.states import Status


@pytest.mark.browser
def test_a_clerk_accepts_an_application_in_the_browser(transactional_db, live_server, page):
    resident = make_user()
    application = actions.create_application(
        as_actor(resident), situation=make_situation(promised=3, statutory=20, materials=()), channel="online"
    )
    actions.submit(as_actor(resident), application)
    desk = clerk()
    desk.set_password("pw-clerk")
    desk.save()
    page.goto(f"{live_server.url}/accounts/login/?next=/services/window/")
    page.fill("#id_username", desk.username)
    page.fill("#id_password", "pw-clerk")
    page.click("main button[type=submit]")
    page.wait_for_url("**/services/window/")
    page.click(f"text={application.code}")
    page.wait_for_url(f"**/services/window/{application.code}/")
    page.click("button[name=do][value=accept]")
    page.wait_for_selector("#status")
    assert page.locator("ol.history li").count() == 3  # create, submit, accept
    assert Application.objects.get(pk=application.pk).status == Status.ACCEPTED
    assert page.locator("text=Promised").count() + page.locator("text=承诺").count() >= 1
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
