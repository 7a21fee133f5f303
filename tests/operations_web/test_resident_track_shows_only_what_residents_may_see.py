"""Tracking by code: status words for anyone; the reporter alone sees their text and answers; nobody sees
staff-only notes, staff names or the reporter's personal data; the closure can be rated by the reporter."""

import pytest
from django.test import Client

from tests.operations.conftest import actor, advance
from yiwang.operations import actions as ops
from yiwang.operations.models import Case

from .conftest import IN_R1

SCRIPT = "井盖<script>alert('x')</script>缺失"


def resident_reports(world, category=None, **fields):
    reporter = Client()
    data = {
        "category": (category or world.manhole).pk,
        "description": SCRIPT,
        "lon": IN_R1[0],
        "lat": IN_R1[1],
        "address": "幸福小区3号楼门口",
        "name": "王五",
        "phone": "13800138001",
    }
    data.update(fields)
    response = reporter.post("/report/", data)
    assert response.status_code == 302, response.context["form"].errors
    return reporter, Case.objects.get()


def track(client, code):
    return client.get("/report/track/", {"code": code})


def handled_with_notes(world, case):
    case = advance(world, case, "handling")
    ops.add_note(actor(world.handler), case, text="内部备注：请张科长跟进", internal=True)
    return ops.mark_handled(actor(world.handler), case, notes="已更换新井盖")


@pytest.mark.django_db
def test_a_stranger_with_the_code_sees_status_words_but_no_text_and_no_person(world):
    reporter, case = resident_reports(world)
    handled_with_notes(world, case)
    html = track(Client(), case.code.lower()).content.decode()  # codes are accepted in any case
    assert case.code in html and "Handled; being checked on site" in html and "Received" in html
    for secret in ("王五", "13800138001", "138****8001", "alert", "已更换新井盖", "内部备注", "张科长"):
        assert secret not in html, secret
    for staff in (world.handler.username, world.dispatcher.username, world.grid_worker.username):
        assert staff not in html
    assert "幸福小区3号楼门口" in html  # a public category's place is public


@pytest.mark.django_db
def test_the_reporter_sees_their_escaped_description_and_the_answers_but_no_internal_note(world):
    reporter, case = resident_reports(world)
    handled_with_notes(world, case)
    html = track(reporter, case.code).content.decode()
    assert "井盖&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;缺失" in html
    assert "<script>alert" not in html
    assert "已更换新井盖" in html
    assert "内部备注" not in html and world.handler.username not in html


@pytest.mark.django_db
def test_a_non_public_report_hides_its_place_from_strangers(world):
    reporter, case = resident_reports(world, category=world.unlicensed)
    assert "幸福小区3号楼门口" not in track(Client(), case.code).content.decode()
    assert "幸福小区3号楼门口" in track(reporter, case.code).content.decode()


@pytest.mark.django_db
def test_after_closure_only_the_reporter_gets_the_rating_link(world):
    from yiwang.reviews.models import RatingOpportunity

    reporter, case = resident_reports(world)
    advance(world, case, "closed")
    opportunity = RatingOpportunity.objects.get(subject_id=str(case.pk))
    mine = track(reporter, case.code).content.decode()
    assert f'href="/reviews/rate/{opportunity.token}/"' in mine and "Closed" in mine
    assert opportunity.token not in track(Client(), case.code).content.decode()


@pytest.mark.django_db
def test_a_logged_in_reporter_sees_their_case_from_any_browser(world):
    from tests.factories import login_as

    first = Client()
    login_as(first, world.resident)
    first.post(
        "/report/",
        {"category": world.manhole.pk, "description": "路口井盖松动", "lon": IN_R1[0], "lat": IN_R1[1]},
    )
    case = Case.objects.get()
    other_browser = login_as(Client(), world.resident)
    assert "路口井盖松动" in track(other_browser, case.code).content.decode()
    assert "路口井盖松动" not in track(login_as(Client(), world.other_resident), case.code).content.decode()


@pytest.mark.django_db
def test_an_unknown_code_says_so(world, client):
    response = track(client, "YW-20990101-999999")
    assert response.status_code == 404
    assert "No report has the code “YW-20990101-999999”" in response.content.decode()


@pytest.mark.django_db
def test_the_done_page_of_someone_elses_report_sends_to_the_track_page(world):
    _, case = resident_reports(world)
    response = Client().get(f"/report/done/{case.code}/")
    assert response.status_code == 302 and response.url == f"/report/track/?code={case.code}"
