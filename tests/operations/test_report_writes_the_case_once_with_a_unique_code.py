"""A report writes its case row once, already carrying its code; codes stay unique, even across rollbacks."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.operations.conftest import IN_G1A, IN_G2A, build_world, report
from yiwang.core.actor import Actor, Channel
from yiwang.operations import codes
from yiwang.operations.actions import Reporter, report_case
from yiwang.operations.models import Case, CaseArea, CaseCodeCounter

pytestmark = pytest.mark.django_db


def _statements(ctx, verb, table):
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(verb) and f'"{table}"' in q["sql"]]


def test_the_case_is_inserted_once_and_never_updated_nor_its_areas_deleted(world):
    report(world)  # warm the per-process lookups and claim a block of codes
    with CaptureQueriesContext(connection) as ctx:
        case = report(world, reporter=Reporter(name="王五"), at=IN_G2A)
    assert len(_statements(ctx, "INSERT", "operations_case")) == 1
    assert _statements(ctx, "UPDATE", "operations_case") == []
    assert _statements(ctx, "DELETE", "operations_casearea") == []
    assert not [q for q in ctx.captured_queries if "uploads_storedfile" in q["sql"]]  # no attachments, no lookup
    stored = Case.objects.get(pk=case.pk)
    assert stored.code == case.code and re.fullmatch(r"YW-\d{8}-\d{6}", stored.code)
    assert set(CaseArea.objects.filter(case=case).values_list("unit_code", flat=True)) >= {"D1", "S2", "G2a"}


def test_codes_are_unique_and_numbered_within_the_day(world):
    made = [report(world, at=IN_G1A if i % 2 else IN_G2A) for i in range(7)]
    numbers = [int(c.code.rsplit("-", 1)[1]) for c in made]
    assert len(set(c.code for c in made)) == 7
    assert numbers == sorted(numbers)  # one process hands out increasing numbers
    day = made[0].code.split("-")[1]
    assert all(c.code.split("-")[1] == day for c in made)


def test_a_block_claimed_in_a_rolled_back_transaction_is_not_used_again(world, settings):
    settings.OPERATIONS = {**settings.OPERATIONS, "CODE_BLOCK": 5}
    codes.forget()
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = report(world)
        raise RuntimeError("the caller's transaction fails after the report")
    assert not Case.objects.filter(code=lost.code).exists()
    kept = [report(world) for _ in range(3)]
    assert len({c.code for c in kept}) == 3
    # the counter in the database covers every number handed out since
    counter = CaseCodeCounter.objects.get()
    assert all(int(c.code.rsplit("-", 1)[1]) <= counter.last for c in kept)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_reporters_get_distinct_codes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OPERATIONS = {**settings.OPERATIONS, "CODE_BLOCK": 3}
    world = build_world()
    found, errors = [], []
    barrier = threading.Barrier(4)

    def reporter():
        try:
            codes.forget()
            barrier.wait(timeout=20)
            for _ in range(10):
                found.append(
                    report_case(Actor.system(Channel.OPEN311), channel="open311", discovery="passive",
                                category=world.garbage, lon=IN_G1A[0], lat=IN_G1A[1], description="heap").code
                )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=reporter) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(found) == 40 and len(set(found)) == 40


def test_a_parent_category_that_gains_a_child_is_refused_at_once(world):
    from yiwang.core.actions import ActionError
    from yiwang.operations.models import Category

    report(world, category=world.flood)  # caches "which categories have children"
    Category.objects.create(code="SAFE-FLOOD-X", name="子类", parent=world.flood, pillar=world.flood.pillar)
    with pytest.raises(ActionError) as refused:
        report(world, category=world.flood)
    assert refused.value.field == "category"
