"""The three places — resident portal, window desk, approver's queue — drive one backend through pages."""

import pytest

from tests.factories import login_as, make_department, make_user
from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
from yiwang.services.applications import actions
from yiwang.services.applications.models import Application
from yiwang.services.applications.states import Status

pytestmark = pytest.mark.django_db


def _submitted(situation):
    resident = make_user()
    application = actions.create_application(as_actor(resident), situation=situation, channel="online")
    actions.submit(as_actor(resident), application)
    return resident, application


def test_a_resident_finds_the_item_applies_submits_and_sees_every_step(client):
    situation = make_situation(materials=())
    resident = make_user()
    login_as(client, resident)
    found = client.get("/services/apply/", {"q": situation.item.name})
    assert situation.item.code in found.content.decode()
    guided = client.get(f"/services/apply/item/{situation.item.code}/")
    assert situation.name in guided.content.decode()
    started = client.post(f"/services/apply/item/{situation.item.code}/", {"situation": situation.pk})
    application = Application.objects.get(applicant=resident)
    assert started.url == f"/services/apply/{application.code}/"
    client.post(started.url, {"action": "submit", "version": application.version})
    page = client.get(started.url).content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.channel == "online"
    assert "submitted" in page and "create" in page
    assert 'value="withdraw"' in page and 'value="accept"' not in page  # only the applicant's buttons


def test_someone_else_cannot_open_an_application(client):
    _resident, application = _submitted(make_situation(materials=()))
    login_as(client, make_user())
    assert client.get(f"/services/apply/{application.code}/").status_code == 404


def test_a_clerk_sees_the_queue_and_accepts_and_a_stale_page_is_told_of_the_conflict(client):
    _resident, application = _submitted(make_situation(materials=()))
    login_as(client, clerk())
    desk = client.get("/services/window/").content.decode()
    assert application.code in desk
    url = f"/services/window/{application.code}/"
    client.post(url, {"action": "accept", "version": application.version})
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    stale = client.post(url, {"action": "not_accept", "reason": "x", "version": 1}, follow=True)
    assert "changed by someone else" in stale.content.decode()
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_a_clerk_applies_on_behalf_with_typed_identity(client):
    situation = make_situation(materials=())
    login_as(client, clerk())
    found = client.get("/services/window/", {"q": situation.item.code}).content.decode()
    assert situation.name in found
    response = client.post(
        "/services/window/apply/",
        {
            "situation": situation.pk,
            "applicant_name": "王五",
            "applicant_id_number": "110105198503120012",
            "window_code": "W3",
        },
    )
    application = Application.objects.get(situation=situation)
    assert response.url == f"/services/window/{application.code}/"
    assert (application.channel, application.identity_verified, application.window_code) == ("window", False, "W3")


def test_the_window_desk_and_the_approvals_are_for_their_roles_only(client):
    login_as(client, make_user())
    assert client.get("/services/window/").status_code == 403
    assert client.get("/services/approvals/").status_code == 403


def test_an_approver_reviews_by_category_and_approves(client):
    department = make_department()
    situation = make_situation(department, materials=())
    other = make_situation(make_department(), materials=())
    _r, application = _submitted(situation)
    _r2, foreign = _submitted(other)
    for a in (application, foreign):
        actions.accept(as_actor(clerk()), a)
    login_as(client, approver(department))
    queue = client.get("/services/approvals/").content.decode()
    assert application.code in queue and situation.item.name in queue and foreign.code not in queue
    url = f"/services/approvals/{application.code}/"
    application.refresh_from_db()
    client.post(url, {"action": "start_review", "version": application.version})
    application.refresh_from_db()
    client.post(url, {"action": "approve", "version": application.version})
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert client.get(f"/services/approvals/{foreign.code}/").status_code == 404


def test_a_clerk_calls_the_specialist_from_the_page_and_the_specialist_replies(client):
    department = make_department()
    specialist = approver(department)
    _resident, application = _submitted(make_situation(department, materials=()))
    desk = clerk()
    login_as(client, desk)
    url = f"/services/window/{application.code}/"
    client.post(url, {"action": "consult", "message": "Does a rented shop qualify?", "version": application.version})
    client.force_login(specialist)
    page = client.get(f"/services/approvals/{application.code}/").content.decode()
    assert "Does a rented shop qualify?" in page
    client.post(f"/services/approvals/{application.code}/", {"action": "message", "message": "Yes, with the lease."})
    login_as(client, desk)
    assert "Yes, with the lease." in client.get(url).content.decode()


def test_the_resident_sees_why_a_material_is_exempted(client):
    from tests.services_applications.test_materials_and_licences import _hold
    from tests.services_licences.conftest import id_number

    situation = make_situation(materials=(), licences=("BIZ_LICENCE",))
    person = id_number()
    licence = _hold(person)
    resident = make_user(verified_id_number=person)
    application = actions.create_application(
        as_actor(resident, assurance="id_card"), situation=situation, channel="online"
    )
    login_as(client, resident, assurance="id_card")
    page = client.get(f"/services/apply/{application.code}/").content.decode()
    assert f"licence NO. {licence.number} of type Licence BIZ_LICENCE held by the verified applicant" in page


def test_the_guidance_asks_until_one_situation_is_left(client):
    from yiwang.services.catalogue.models import Option, Question, Situation

    first = make_situation(materials=())
    item = first.item
    second = Situation.objects.create(
        item=item, code="branch", name="Opening a branch", statutory_days=20, promised_days=5
    )
    question = Question.objects.create(item=item, code="kind", text="Is it a new company?")
    Option.objects.create(question=question, code="new", label="A new company").situations.add(first)
    Option.objects.create(question=question, code="branch", label="A branch").situations.add(second)
    login_as(client, make_user())
    asked = client.get(f"/services/apply/item/{item.code}/").content.decode()
    assert "Is it a new company?" in asked and 'name="situation"' not in asked
    answered = client.get(f"/services/apply/item/{item.code}/", {"q_kind": "branch"}).content.decode()
    assert "Opening a branch" in answered and f'name="situation" value="{second.pk}"' in answered
