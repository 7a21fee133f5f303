"""An item found wrong on a pre-flood inspection opens a grid patrol case (主动发现) of the item's category at
the task's grid or point, in the same transaction as the task's completion; the task links to its cases."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import login_as, make_user
from tests.operations_web.staff_world import png
from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.operations.models import Case, Category, Pillar
from yiwang.sensing.flood.actions import complete_task, issue_checklist
from yiwang.sensing.flood.models import ChecklistItem, ChecklistTemplate, InspectionTask
from yiwang.territory.services import locate

pytestmark = pytest.mark.django_db


@pytest.fixture
def manhole(world):
    road = Category.objects.create(code="CM-ROAD", name="道路设施", name_en="Roads", pillar=Pillar.CONSTRUCTION)
    return Category.objects.create(
        code="CM-ROAD-MANHOLE", name="井盖缺损", name_en="Broken manhole cover", parent=road,
        pillar=Pillar.CONSTRUCTION,
    )  # fmt: skip


def checklist(target="grid", poi_kind="", categories=("CM-GREEN-DRAIN", "CM-ROAD-MANHOLE", None)):
    t = ChecklistTemplate.objects.create(code=f"p-{target}", name="Pre-flood", target=target, poi_kind=poi_kind)
    texts = ("Drains clear", "Manhole covers whole", "Sandbags ready")
    for i, (text, code) in enumerate(zip(texts, categories, strict=True)):
        extra = {"category_code": code} if code else {}  # None: the field's default
        ChecklistItem.objects.create(template=t, position=i, text=text, **extra)
    return t


def issue(world, template):
    return issue_checklist(Actor(user=world.ops), template, due_on=timezone.localdate() + dt.timedelta(days=7))


def test_an_item_without_a_category_takes_the_blocked_drain_default(world, manhole):
    issued = issue(world, checklist())
    assert issued.categories == ["CM-GREEN-DRAIN", "CM-ROAD-MANHOLE", "CM-GREEN-DRAIN"]


def test_one_problem_opens_exactly_one_patrol_case_in_the_tasks_grid(world, manhole):
    task = issue(world, checklist()).tasks.get(grid_code="G1a")
    done = complete_task(
        Actor(user=world.grid_worker), task, results={"0": "ok", "1": "problem", "2": "ok"},
        note="Cover cracked at gate 2", photo=png(),
    )  # fmt: skip
    [case] = Case.objects.all()
    assert (case.channel, case.discovery, case.category.code) == ("grid_patrol", "active", "CM-ROAD-MANHOLE")
    assert (case.subdistrict_code, case.grid_code) == ("S1", "G1a")
    assert case.reporter == world.grid_worker and case.created_by == world.grid_worker
    assert "Manhole covers whole" in case.description and "Cover cracked at gate 2" in case.description
    assert case.external_ref == f"flood-task:{task.pk}:2"
    assert list(case.attachments.values_list("file_id", flat=True)) == [done.photo_id]
    assert list(InspectionTask.objects.get(pk=task.pk).cases.all()) == [case]
    event = AuditEvent.objects.get(action="flood.task.complete")
    assert event.summary["after"]["cases"] == [case.code] and event.summary["after"]["problems"] == 1


def test_a_point_task_opens_its_case_at_the_point(world):
    task = issue(world, checklist("poi", "material_depot", ("CM-GREEN-DRAIN",) * 3)).tasks.get()
    assert task.poi_code == "DEP-1"
    worker = make_user(Role.GRID_WORKER, org=world.teams["G1b"])
    complete_task(Actor(user=worker), task, results={"0": "problem", "1": "ok", "2": "problem"},
                  note="Pump 2 does not start; ledger short by 40 sandbags")  # fmt: skip
    cases = list(Case.objects.order_by("external_ref"))
    assert [c.external_ref for c in cases] == [f"flood-task:{task.pk}:1", f"flood-task:{task.pk}:3"]
    assert {(c.lon, c.lat, c.grid_code, c.address) for c in cases} == {(121.41, 31.23, "G1b", "Depot one")}
    assert set(task.cases.all()) == set(cases)


def test_no_problem_opens_no_case(world, manhole):
    task = issue(world, checklist()).tasks.get(grid_code="G1a")
    complete_task(Actor(user=world.grid_worker), task, results={"0": "ok", "1": "ok", "2": "ok"})
    assert Case.objects.count() == 0 and task.cases.count() == 0
    assert AuditEvent.objects.get(action="flood.task.complete").summary["after"]["cases"] == []


def test_a_case_that_cannot_be_opened_leaves_the_task_open(world, manhole):
    task = issue(world, checklist()).tasks.get(grid_code="G1a")
    manhole.active = False  # retired after the round was issued
    manhole.save()
    with pytest.raises(ActionError, match="no longer in use"):
        complete_task(Actor(user=world.grid_worker), task, results={"0": "problem", "1": "problem", "2": "ok"},
                      note="Drain blocked; cover cracked", photo=png())  # fmt: skip
    task.refresh_from_db()
    assert (task.status, task.results, task.photo_id, task.done_at) == ("open", {}, None, None)
    assert Case.objects.count() == 0  # not even the first item's case
    assert not AuditEvent.objects.filter(action__in=["flood.task.complete", "operations.case.report"]).exists()


def test_issuing_refuses_an_item_whose_category_cannot_take_cases(world):
    template = checklist()  # CM-ROAD-MANHOLE does not exist in this world
    with pytest.raises(ActionError, match=r"item 2: There is no case category CM-ROAD-MANHOLE\."):
        issue(world, template)
    assert InspectionTask.objects.count() == 0


def test_the_phone_page_names_the_cases_and_the_round_page_links_them(world, manhole, client):
    issued = issue(world, checklist())
    task = issued.tasks.get(grid_code="G1a")
    login_as(client, world.grid_worker)
    answer = {"item-0": "problem", "item-1": "ok", "item-2": "ok", "note": "Inlet blocked by leaves"}
    page = client.post(f"/flood/tasks/{task.pk}/", answer, follow=True).content.decode()
    [case] = Case.objects.all()
    assert f"Cases opened for the problems found: {case.code}" in page
    assert locate(case.lon, case.lat).grid.code == "G1a"
    login_as(client, world.leader)
    page = client.get(f"/flood/rounds/{issued.pk}/").content.decode()
    row = page.split(f'<tr data-task="{task.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'<td class="cases"><a href="/ops/cases/{case.code}/">{case.code}</a></td>' in row
