"""A problem found on a pre-flood inspection opens a case in the operations loop (网格巡查, 主动发现).

Called by ``complete_task`` inside its transaction: the task is done and its cases are open, or neither.
"""

from __future__ import annotations

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor

from ..models import InspectionTask


def task_place(task: InspectionTask) -> tuple[float, float, str]:
    """Where the task was done: its point of interest, else a point inside its grid (WGS-84), and an address."""
    from yiwang.territory.geometry import load_geometry
    from yiwang.territory.models import PointOfInterest
    from yiwang.territory.services import units_in_force

    if task.poi_code:
        poi = PointOfInterest.objects.filter(code=task.poi_code).only("lon", "lat", "name").first()
        if poi is not None:
            return poi.lon, poi.lat, (poi.name or task.poi_name)[:300]
    grid = units_in_force().filter(code=task.grid_code).select_related(None).only("geometry", "name").first()
    if grid is None:
        raise ActionError(
            _("The grid %(code)s of this task is no longer in the territory; a case cannot be placed there.")
            % {"code": task.grid_code}
        )
    point = load_geometry(grid.geometry).representative_point()
    return point.x, point.y, grid.name


def open_problem_cases(actor: Actor, task: InspectionTask, problems: list[int]) -> list:
    """One grid patrol case per item found wrong, of the item's category, at the task's point or grid,
    reported by the worker (their patrol scope covers the grid), with the inspection photo attached."""
    from yiwang.operations.actions import report_case
    from yiwang.operations.models import CaseChannel, Discovery

    if not problems:
        return []
    lon, lat, address = task_place(task)
    items = task.round.items
    cases = []
    for index in problems:
        description = _t("Pre-flood inspection “%(round)s”, %(place)s: %(item)s — %(note)s") % {
            "round": task.round.title,
            "place": task.poi_name or task.grid_code,
            "item": items[index],
            "note": task.note,
        }
        cases.append(
            report_case(
                actor,
                channel=CaseChannel.GRID_PATROL,
                discovery=Discovery.ACTIVE,
                category=task.category_of(index),
                lon=lon,
                lat=lat,
                address=address,
                description=description[:4000],
                reporter=actor.user,
                attachments=[task.photo] if task.photo_id else (),
                external_ref=f"flood-task:{task.pk}:{index + 1}",
            )
        )
    task.cases.add(*cases)
    return cases
