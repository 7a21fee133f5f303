"""The JSON API applies, submits and accepts through the same actions as the pages: one transaction
each, audited, refused whole with a precise message, session login and CSRF required."""

import json

import pytest
from django.test import Client

from tests.factories import make_user
from tests.services_applications.helpers import clerk, make_situation
from yiwang.core.audit.models import AuditEvent
from yiwang.core.workcal.models import ClockState
from yiwang.core.workcal.queries import clocks_for
from yiwang.services.applications.models import Application, StatusChange
from yiwang.services.applications.states import Status

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"


def _client(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _audit(application):
    return list(
        AuditEvent.objects.filter(object_type="applications.application", object_id=str(application.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_applying_with_submit_creates_and_submits_in_one_call_both_steps_in_history_one_audit_row():
    situation = make_situation(materials=())
    resident = make_user()
    response = _post(_client(resident), URL, {"situation": situation.pk, "submit": True})
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get(code=body["code"])
    assert (body["status"], body["version"], body["missing"]) == (Status.SUBMITTED, 1, [])
    assert (application.status, application.applicant_id, application.channel) == ("submitted", resident.pk, "online")
    assert application.submitted_at is not None
    steps = list(StatusChange.objects.filter(application=application).values_list("action", "to_status"))
    assert steps == [("create", "draft"), ("submit", "submitted")]
    # one action, one audit row, naming both: created and submitted at once
    assert _audit(application) == ["applications.application.create"]
    row = AuditEvent.objects.get(action="applications.application.create")
    assert row.channel == "api"
    assert (row.summary["after"]["status"], row.summary["after"]["submitted_at_once"]) == ("submitted", True)


def test_submitting_at_once_with_a_required_material_missing_is_refused_and_saves_nothing():
    situation = make_situation(materials=("Signed application form",))
    audit_before = AuditEvent.objects.count()
    response = _post(_client(make_user()), URL, {"situation": situation.pk, "submit": True})
    assert response.status_code == 400
    assert response.json()["field"] == "materials"
    assert "Signed application form" in response.json()["detail"]
    assert not Application.objects.exists()
    assert not StatusChange.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_a_draft_lists_what_is_missing_and_its_submission_is_refused_until_provided():
    situation = make_situation(materials=("Floor plan",))
    client = _client(make_user())
    draft = _post(client, URL, {"situation": situation.pk}).json()
    assert (draft["status"], draft["missing"]) == ("draft", ["Floor plan"])
    refused = _post(client, f"{URL}{draft['code']}/submit", {"version": draft["version"]})
    assert refused.status_code == 400 and refused.json()["field"] == "materials"
    assert Application.objects.get(code=draft["code"]).status == Status.DRAFT


def test_a_window_clerk_accepts_the_version_they_saw_and_both_deadline_clocks_start():
    situation = make_situation(promised=3, statutory=20, materials=())
    submitted = _post(_client(make_user()), URL, {"situation": situation.pk, "submit": True}).json()
    response = _post(_client(clerk()), f"{URL}{submitted['code']}/accept", {"version": submitted["version"]})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == (Status.ACCEPTED, 2)
    application = Application.objects.get(code=submitted["code"])
    clocks = {c.kind: c for c in clocks_for(application)}
    assert {k: (c.unit, c.amount, c.state) for k, c in clocks.items()} == {
        "promised": ("wd", 3, ClockState.RUNNING),
        "statutory": ("wd", 20, ClockState.RUNNING),
    }
    assert clocks["promised"].due_at < clocks["statutory"].due_at
    # the clocks started are part of the acceptance: its one audit row names them, no row of their own
    assert not AuditEvent.objects.filter(action="workcal.clock.start").exists()
    assert _audit(application)[-1] == "applications.application.accept"
    accepted = AuditEvent.objects.get(action="applications.application.accept").summary["after"]
    assert accepted["status"] == "accepted"
    assert accepted["clocks"] == {
        kind: {"days": clock.amount, "due": clock.due_at.isoformat()} for kind, clock in clocks.items()
    }


def test_accepting_a_version_someone_else_changed_is_a_conflict_and_changes_nothing():
    situation = make_situation(materials=())
    submitted = _post(_client(make_user()), URL, {"situation": situation.pk, "submit": True}).json()
    desk = _client(clerk())
    assert _post(desk, f"{URL}{submitted['code']}/accept", {"version": 1}).status_code == 200
    again = _post(desk, f"{URL}{submitted['code']}/accept", {"version": 1})
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert StatusChange.objects.filter(action="accept").count() == 1
    assert clocks_for(Application.objects.get(code=submitted["code"])).count() == 2


def test_an_acceptance_without_a_version_applies_to_the_application_as_it_is():
    situation = make_situation(materials=())
    submitted = _post(_client(make_user()), URL, {"situation": situation.pk, "submit": True}).json()
    response = _post(_client(clerk()), f"{URL}{submitted['code']}/accept", {})
    assert (response.status_code, response.json()["status"]) == (200, Status.ACCEPTED)


def test_the_applicant_may_not_accept_their_own_application():
    situation = make_situation(materials=())
    client = _client(make_user())
    submitted = _post(client, URL, {"situation": situation.pk, "submit": True}).json()
    response = _post(client, f"{URL}{submitted['code']}/accept", {})
    assert response.status_code == 403
    assert Application.objects.get(code=submitted["code"]).status == Status.SUBMITTED


def test_someone_elses_application_and_unknown_ones_are_not_found():
    situation = make_situation(materials=())
    submitted = _post(_client(make_user()), URL, {"situation": situation.pk, "submit": True}).json()
    stranger = _client(make_user())
    assert stranger.get(f"{URL}{submitted['code']}").status_code == 404
    assert _post(stranger, f"{URL}{submitted['code']}/submit", {}).status_code == 404
    assert _post(stranger, f"{URL}{submitted['code']}/accept", {}).status_code == 404  # not 403: nothing revealed
    assert _post(_client(clerk()), f"{URL}SQ-NO-SUCH/accept", {}).status_code == 404
    assert Application.objects.get(code=submitted["code"]).status == Status.SUBMITTED
    assert _post(stranger, URL, {"situation": 999999}).json()["field"] == "situation"


def test_without_a_login_or_without_the_csrf_token_nothing_is_created():
    situation = make_situation(materials=())
    assert _post(Client(), URL, {"situation": situation.pk, "submit": True}).status_code == 401
    strict = _client(make_user(), enforce_csrf_checks=True)
    assert _post(strict, URL, {"situation": situation.pk, "submit": True}).status_code == 403
    assert not Application.objects.exists()


def test_a_body_that_is_not_the_schema_is_refused_with_the_field_named():
    response = _post(_client(make_user()), URL, {"situation": "the big one"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "situation"
