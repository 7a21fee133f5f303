"""`yiwang audit verify | anchor | show`."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from tests.factories import make_org
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditAnchor, AuditEvent
from yiwang.core.audit.trail import chain_for, record_event


def run(*args, **options):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("audit", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def events(db):
    org = make_org(name="Grid centre")
    with transaction.atomic():
        for i in range(3):
            record_event(Actor.system(), "core.orgunit.touch", org, after={"n": i})
    other = next(n for n in range(100) if chain_for("test.thing", str(n)) != chain_for("core.orgunit", str(org.pk)))
    with transaction.atomic():  # a transaction of its own: one transaction appends on one chain
        record_event(Actor.system(), "test.touch", ("test.thing", str(other)))
    return org


def test_verify_reports_what_it_checked_on_an_intact_trail(events):
    out, _ = run("verify")
    assert "checked 4 rows in 2 chains and 0 anchors" in out
    assert "no problems" in out


def test_verify_prints_each_problem_and_exits_1(events):
    row = AuditEvent.objects.filter(object_type="core.orgunit").order_by("seq")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET action = 'forged' WHERE id = %s", [row.id])  # noqa: S608
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", stdout=out)
    assert raised.value.returncode == 1
    assert f"edited: chain {row.chain} seq {row.seq} (row id {row.id})" in out.getvalue()


def test_verify_shows_progress_per_chain_when_verbose(events):
    _, err = run("verify", verbosity=2)
    assert err.count("rows checked") == 2


def test_anchor_snapshots_every_chain_head(events):
    out, _ = run("anchor")
    anchor = AuditAnchor.objects.get()
    assert f"anchor {anchor.pk}" in out and "covers 2 chains" in out
    assert "1 anchors" in run("verify")[0]


def test_show_lists_one_objects_trail_in_order(events):
    out, _ = run("show", "core.orgunit", str(events.pk))
    lines = out.strip().splitlines()
    assert len(lines) == 3 and all("core.orgunit.touch" in line for line in lines)
    assert "n=0" in lines[0] or "'n': 0" in lines[0]


def test_show_of_an_object_without_a_trail_fails(events):
    with pytest.raises(CommandError, match="no audit rows"):
        run("show", "core.orgunit", "999999")
