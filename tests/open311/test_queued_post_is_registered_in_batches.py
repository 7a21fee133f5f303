"""Queued intake (OPEN311["INTAKE"] = "queued"): a token key's POST is one queue row; the drainer registers it."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.open311.conftest import IN_G1A, body, error_descriptions, form, get, post
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.workcal.actions import open_clock
from yiwang.operations.actions import accept, set_intake_policy
from yiwang.operations.models import Case, CaseArea, CaseAssignment, CaseStatusChange
from yiwang.operations.open311 import drain
from yiwang.operations.open311.models import QueuedRequest, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.OPEN311 = {**settings.OPEN311, "INTAKE": "queued"}


def counts():
    return (Case.objects.count(), Submission.objects.count(), AuditEvent.objects.count(), QueuedRequest.objects.count())


def queue(client, key, **fields) -> str:
    response = post(client, "json", form(key, **fields))
    assert response.status_code == 200, response.content
    [item] = body(response)
    assert "service_request_id" not in item  # a token, never both (spec)
    return item["token"]


def test_queued_post_answers_a_token_and_writes_only_the_queue_row(client, token_key, world):
    cases, submissions, events, queued = counts()
    response = post(client, "json", form(token_key))
    assert response.status_code == 200
    [item] = body(response)
    assert set(item) == {"token", "service_notice", "account_id"} and item["account_id"] == "acct-7"
    assert f"tokens/{item['token']}" in item["service_notice"]
    assert counts() == (cases, submissions, events, queued + 1)
    row = QueuedRequest.objects.get(token=item["token"])
    assert (row.category_id, row.coord_system, row.state) == (world.garbage.pk, "wgs84", "queued")
    assert (row.lon, row.lat) == pytest.approx(IN_G1A)
    assert row.answers == {"volume": "large"}
    assert (row.reporter_name, row.reporter_phone, row.email) == ("Si Li", "13912345678", "li.si@example.org")


def test_bad_queued_post_is_refused_with_the_same_errors_and_saves_nothing(client, token_key, world):
    before = counts()
    response = post(client, "json", form(token_key, lat="95", **{"attribute[volume]": None}))
    assert response.status_code == 400
    assert error_descriptions(response) == [
        "lat must lie between -90 and 90.",
        "attribute[volume] is required for service ENV-GARBAGE.",
    ]
    assert counts() == before


def test_key_that_wants_an_id_keeps_the_direct_path(client, api_key, world):
    queued = QueuedRequest.objects.count()
    [item] = body(post(client, "json", form(api_key)))
    assert Case.objects.filter(code=item["service_request_id"]).exists()
    assert QueuedRequest.objects.count() == queued


def test_drainer_registers_the_case_as_the_direct_path_does(client, api_key, token_key, world):
    from yiwang.operations.models import RoutingRule

    rule = RoutingRule.objects.create(name="garbage to the grid team", position=1, team_mode="grid_team")
    rule.categories.add(world.environment)
    set_intake_policy(Actor.system(), world.garbage, "auto_register", ["open311"])
    [direct] = body(post(client, "json", form(api_key)))
    token = queue(client, token_key)
    assert drain.drain_all().registered == 1
    assert not QueuedRequest.objects.exists()
    first = Case.objects.get(code=direct["service_request_id"])
    case = Submission.objects.get(token=token).case
    same = ("channel", "discovery", "category_id", "status", "version", "subdistrict_code", "grid_code",
            "department_id", "team_id", "clock_kind", "answers", "reporter_name", "reporter_phone",
            "description")  # fmt: skip
    assert [getattr(case, f) for f in same] == [getattr(first, f) for f in same]
    assert case.status == "dispatched" and case.team_id == world.team_g1a.pk
    assert case.external_ref == f"open311:{token}"
    assert case.suspected_duplicate_of_id == first.pk  # same place, same category, minutes apart
    assert sorted(CaseArea.objects.filter(case=case).values_list("level", "unit_code")) == sorted(
        CaseArea.objects.filter(case=first).values_list("level", "unit_code")
    )
    steps = list(CaseStatusChange.objects.filter(case=case).order_by("version").values_list("action", flat=True))
    assert steps == ["report", "accept", "register", "dispatch"]
    assert CaseAssignment.objects.get(case=case).rule_id == rule.pk
    assert open_clock(("operations.case", str(case.pk)), "handle").due_at == case.due_at
    event = AuditEvent.objects.get(action="operations.case.report", object_id=str(case.pk))
    assert (event.channel, event.actor_label, event.client_ip) == ("open311", "open311:Batch app", "127.0.0.1")
    assert AuditEvent.objects.filter(action="operations.case.auto_intake", object_id=str(case.pk)).count() == 1
    submission = Submission.objects.get(token=token)
    assert (submission.email, submission.device_id, submission.account_id) == ("li.si@example.org", "device-42",
                                                                               "acct-7")  # fmt: skip
    out = StringIO()
    call_command("audit", "verify", stdout=out)  # exits 1 (SystemExit) on any broken chain
    assert "audit trail intact" in out.getvalue()


def test_duplicates_within_one_batch_are_suspected(client, token_key, world):
    first, second = queue(client, token_key), queue(client, token_key)
    far = queue(client, token_key, lat=None, long=None, address_string="幸福小区7号楼")
    assert drain.drain_all().registered == 3
    a, b, c = (Submission.objects.get(token=t).case for t in (first, second, far))
    assert a.suspected_duplicate_of_id is None
    assert b.suspected_duplicate_of_id == a.pk
    assert c.suspected_duplicate_of_id is None


def test_a_large_batch_registers_every_report_with_its_rows_and_audit(client, token_key, world):
    # 30 reports: past the size where PostgreSQL takes the COPY path for the batch's rows
    tokens = [queue(client, token_key, description=f"heap {i}") for i in range(30)]
    assert drain.drain_once(100).registered == 30
    cases = [Submission.objects.get(token=t).case for t in tokens]
    assert [c.description for c in cases] == [f"heap {i}" for i in range(30)]
    assert len({c.code for c in cases}) == 30
    assert all(c.suspected_duplicate_of_id == cases[0].pk for c in cases[1:])  # one place: all repeat the first
    assert CaseArea.objects.filter(case__in=cases, level=3, unit_code="G1a").count() == 30
    assert CaseStatusChange.objects.filter(case__in=cases, action="report").count() == 30
    events = AuditEvent.objects.filter(action="operations.case.report", object_id__in=[str(c.pk) for c in cases])
    assert events.count() == 30
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit trail intact" in out.getvalue()


def test_a_report_refused_at_drain_time_is_kept_and_the_token_says_why(client, token_key, world):
    token = queue(client, token_key)
    kept = queue(client, token_key, service_code="ENV-GARBAGE")
    world.garbage.active = False
    world.garbage.save()
    outcome = drain.drain_all()
    assert (outcome.registered, outcome.refused) == (0, 2)
    row = QueuedRequest.objects.get(token=token)
    assert row.state == "refused" and "no longer in use" in row.refusal
    assert not Case.objects.filter(external_ref=f"open311:{token}").exists()
    [item] = body(get(client, f"tokens/{token}.json"))
    assert item["service_request_id"] is None and item["token"] == token
    assert "Not registered" in item["service_notice"] and "no longer in use" in item["service_notice"]
    assert QueuedRequest.objects.filter(token=kept, state="refused").exists()  # refused, not lost
    assert drain.drain_all().taken == 0  # refused rows are not taken again


def test_a_failure_mid_batch_leaves_every_row_queued(client, token_key, world, monkeypatch):
    tokens = [queue(client, token_key, description=f"heap {i}") for i in range(3)]
    cases, events = Case.objects.count(), AuditEvent.objects.count()

    def broken(objs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(drain, "insert_many_objects", broken)  # the Submission rows, after every case was written
    outcome = drain.drain_once()
    assert (outcome.registered, outcome.failed) == (0, 3)
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases, events)
    rows = QueuedRequest.objects.filter(token__in=tokens)
    assert [(r.state, r.attempts) for r in rows] == [("queued", 1)] * 3
    monkeypatch.undo()
    assert drain.drain_all().registered == 3
    assert Submission.objects.filter(token__in=tokens).count() == 3


def test_token_resolves_once_the_queued_case_is_registered_and_accepted(client, token_key, world):
    token = queue(client, token_key)
    assert body(get(client, f"tokens/{token}.json")) == [{"service_request_id": None, "token": token}]
    drain.drain_all()
    case = Submission.objects.get(token=token).case
    assert body(get(client, f"tokens/{token}.json")) == [{"service_request_id": None, "token": token}]
    accept(Actor(user=world.dispatcher), case)
    assert body(get(client, f"tokens/{token}.json")) == [{"service_request_id": case.code, "token": token}]


@pytest.mark.django_db(transaction=True)
def test_two_drainers_never_register_one_report_twice(client, token_key, world):
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): SKIP LOCKED")
    tokens = [queue(client, token_key, description=f"heap {i}") for i in range(12)]
    outcomes = []

    def other_drainer():
        try:
            outcomes.append(drain.drain_once(100))
        finally:
            connection.close()

    with transaction.atomic():
        held = drain._claim(5)  # this drainer holds the five oldest rows …
        thread = threading.Thread(target=other_drainer)
        thread.start()
        thread.join(30)  # … the other one skips them instead of waiting
        assert [o.registered for o in outcomes] == [7]
        assert drain._register(held).registered == 5
    registered = Submission.objects.filter(token__in=tokens)
    assert registered.count() == 12 and len({s.case_id for s in registered}) == 12
    assert Case.objects.filter(external_ref__in=[f"open311:{t}" for t in tokens]).count() == 12
    assert not QueuedRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_batch_is_planned_first_then_written_in_one_turn(client, token_key, world):
    # (the other tests run inside the test's transaction; here the drainer runs as in `yiwang worker`)
    first, second = queue(client, token_key), queue(client, token_key)
    refused = queue(client, token_key, description="later refused")
    QueuedRequest.objects.filter(token=refused).update(category_id=world.environment.pk)  # a parent category
    outcome = drain.drain_once()
    assert (outcome.registered, outcome.refused) == (2, 1)
    a, b = (Submission.objects.get(token=t).case for t in (first, second))
    assert a.code and b.code and a.code != b.code
    assert b.suspected_duplicate_of_id == a.pk
    assert "sub-category" in QueuedRequest.objects.get(token=refused).refusal
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit trail intact" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_registers_reports_as_they_arrive(client, token_key, world):
    import threading
    import time

    stop = threading.Event()
    thread = drain.start_thread(stop)  # as `yiwang worker` runs it (PostgreSQL: woken by NOTIFY)
    try:
        tokens = [queue(client, token_key, description=f"heap {i}") for i in range(3)]
        deadline = time.monotonic() + 20
        while Submission.objects.filter(token__in=tokens).count() < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert Submission.objects.filter(token__in=tokens).count() == 3
    assert not QueuedRequest.objects.exists()
    assert not thread.is_alive()
