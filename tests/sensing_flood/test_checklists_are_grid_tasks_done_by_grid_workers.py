"""Pre-flood checklists are issued as one task per grid (or point), assigned to the grid's team; a worker of
that grid checks every item off (a problem needs a note); progress per subdistrict follows."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import login_as
from tests.operations_web.staff_world import png
from yiwang.core.actions import ActionError, Conflict, PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.sensing.flood.actions import complete_task, enter_warning, issue_checklist
from yiwang.sensing.flood.models import ChecklistItem, ChecklistTemplate, InspectionTask
from yiwang.sensing.flood.queries import task_progress

pytestmark = pytest.mark.django_db


def template(target="grid", poi_kind=""):
    t = ChecklistTemplate.objects.create(code=f"t-{target}", name="Pre-flood", target=target, poi_kind=poi_kind)
    for i, text in enumerate(("Drains clear", "Barriers in place", "Sandbags ready")):
        ChecklistItem.objects.create(template=t, position=i, text=text)
    return t


def due():
    return timezone.localdate() + dt.timedelta(days=7)


def test_one_task_per_grid_goes_to_each_grids_team(world):
    issued = issue_checklist(Actor(user=world.ops), template(), due_on=due())
    tasks = {t.grid_code: t for t in issued.tasks.all()}
    assert sorted(tasks) == ["G1a", "G1b", "G2a", "G2b", "G3a", "G3b"]
    assert all(tasks[g].org_unit == world.teams[g] for g in tasks)
    assert tasks["G2b"].subdistrict_code == "S2"
    assert issued.items == ["Drains clear", "Barriers in place", "Sandbags ready"]
    assert AuditEvent.objects.filter(action="flood.checklist.issue").count() == 1
    assert AuditEvent.objects.get(action="flood.task.create").batch_count == 6


def test_per_point_checklists_make_one_task_per_point(world):
    issued = issue_checklist(Actor(user=world.ops), template("poi", "material_depot"), due_on=due())
    assert [(t.poi_code, t.grid_code, t.poi_name) for t in issued.tasks.all()] == [("DEP-1", "G1b", "Depot one")]


def test_a_grid_without_a_team_refuses_the_whole_issue(world):
    world.teams["G3b"].valid_to = timezone.localdate()  # the team was dissolved today
    world.teams["G3b"].save()
    checklist = template()
    with pytest.raises(ActionError, match="These grids have no grid team to give the task to: G3b"):
        issue_checklist(Actor(user=world.ops), checklist, due_on=due())
    assert InspectionTask.objects.count() == 0
    issued = issue_checklist(Actor(user=world.ops), checklist, due_on=due(), subdistricts=["S1"])
    assert sorted(issued.tasks.values_list("grid_code", flat=True)) == ["G1a", "G1b"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"subdistricts": ["S9"]}, "Unknown subdistrict(s): S9"),
        ({"due_on": dt.date(2020, 1, 1)}, "The due date is in the past."),
    ],
)
def test_bad_issue_input_is_refused_precisely(world, kwargs, message):
    kwargs.setdefault("due_on", due())
    with pytest.raises(ActionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        issue_checklist(Actor(user=world.ops), template(), **kwargs)
    assert InspectionTask.objects.count() == 0


def test_only_the_operations_centre_issues(world):
    checklist = template()
    for user in (world.dispatcher, world.grid_worker, world.leader):
        with pytest.raises(PermissionDenied):
            issue_checklist(Actor(user=user), checklist, due_on=due())
    assert InspectionTask.objects.count() == 0


def test_a_grid_worker_completes_only_the_tasks_of_their_grid(world):
    issued = issue_checklist(Actor(user=world.ops), template(), due_on=due())
    mine = issued.tasks.get(grid_code="G1a")
    other = issued.tasks.get(grid_code="G2a")
    with pytest.raises(PermissionDenied):
        complete_task(Actor(user=world.grid_worker), other, results={"0": "ok", "1": "ok", "2": "ok"})
    with pytest.raises(ActionError, match=r"Answer every item \(missing: 2, 3\)"):
        complete_task(Actor(user=world.grid_worker), mine, results={"0": "ok", "1": "maybe"})
    with pytest.raises(ActionError, match="Describe the problem you found in the note."):
        complete_task(Actor(user=world.grid_worker), mine, results={"0": "ok", "1": "problem", "2": "ok"})
    done = complete_task(
        Actor(user=world.grid_worker), mine, results={"0": "ok", "1": "problem", "2": "ok"},
        note="Barrier at gate 2 missing", photo=png(),
    )  # fmt: skip
    assert (done.status, done.results["1"], done.done_by) == ("done", "problem", world.grid_worker)
    assert done.photo is not None and done.photo.purpose == "flood-inspection"
    with pytest.raises(Conflict):
        complete_task(Actor(user=world.grid_worker), mine, results={"0": "ok", "1": "ok", "2": "ok"})
    progress = {p["code"]: (p["done"], p["total"], p["percent"], p["problems"]) for p in task_progress()}
    assert progress == {"S1": (1, 2, 50, 1), "S2": (0, 2, 0, 0), "S3": (0, 2, 0, 0)}


def test_the_phone_page_lists_and_completes_a_task(world, client):
    issued = issue_checklist(Actor(user=world.ops), template(), due_on=due())
    task = issued.tasks.get(grid_code="G2a")
    enter_warning(Actor(user=world.ops), kind="typhoon", level="orange", issued_at=timezone.now().isoformat(),
                  source="office")  # fmt: skip
    login_as(client, world.worker_g2a)
    page = client.get("/flood/tasks/").content.decode()
    assert f'data-task="{task.pk}"' in page and page.count("data-task=") == 1
    assert 'class="warning level-orange"' in page  # the warning in force, in the field too
    mine_not = issued.tasks.get(grid_code="G1a")
    assert client.get(f"/flood/tasks/{mine_not.pk}/").status_code == 404
    bad = client.post(f"/flood/tasks/{task.pk}/", {"item-0": "ok"})
    assert bad.status_code == 400 and "Answer every item (missing: 2, 3)." in bad.content.decode()
    ok = client.post(f"/flood/tasks/{task.pk}/", {"item-0": "ok", "item-1": "ok", "item-2": "ok", "note": ""})
    assert ok.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    login_as(client, world.ops)
    assert client.get("/flood/tasks/").status_code == 403  # the operations centre issues; it does not inspect
    scene = client.get("/flood/").content.decode()
    row = scene.split('<tr data-code="S2">', 1)[1].split("</tr>", 1)[0]
    assert f'href="/flood/rounds/{issued.pk}/?subdistrict=S2">单元S2</a>' in row
    assert '<td class="count">1 / 2</td><td class="problems">0</td>' in row


def test_the_round_page_shows_what_was_found_with_the_photo(world, client):
    issued = issue_checklist(Actor(user=world.ops), template(), due_on=due())
    mine = issued.tasks.get(grid_code="G1a")
    complete_task(Actor(user=world.grid_worker), mine, results={"0": "ok", "1": "problem", "2": "problem"},
                  note="Gate 2 barrier missing", photo=png())  # fmt: skip
    login_as(client, world.leader)
    page = client.get(f"/flood/rounds/{issued.pk}/?subdistrict=S1").content.decode()
    assert page.count("<tr data-task=") == 2  # G1a and G1b only
    row = page.split(f'<tr data-task="{mine.pk}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="problems">Barriers in place<br>Sandbags ready</td>' in row and "Gate 2 barrier missing" in row
    thumb = client.get(f"/flood/tasks/{mine.pk}/photo/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"].startswith("image/")
    login_as(client, world.worker_g2a)  # another grid's worker sees neither the round nor the photo
    assert client.get(f"/flood/rounds/{issued.pk}/").status_code == 403
    assert client.get(f"/flood/tasks/{mine.pk}/photo/thumb/").status_code == 404
    login_as(client, world.grid_worker)
    assert client.get(f"/flood/tasks/{mine.pk}/photo/full/").status_code == 200
