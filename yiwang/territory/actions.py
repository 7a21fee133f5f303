"""Actions of the territory context: the only write path to units and points of interest.

Both imports are batch actions: all or nothing (one transaction), one audit row per batch through
``record_batch`` with a digest of what was written. The demo generator calls them from Python::

    from yiwang.core.actor import Actor
    from yiwang.territory.actions import import_territory, import_pois

    result = import_territory(Actor.system(), feature_collection)
    import_pois(Actor.system(), poi_collection)
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yiwang.core import permissions
from yiwang.core.actions import ActionError, action, on_commit, record_batch, require
from yiwang.core.actor import Actor, Channel

from . import importing, poi_importing, queries, services
from .validation import Problem

# channels on which an actor without a user is the system itself (console, worker, demo seed)
SYSTEM_CHANNELS = {Channel.CLI, Channel.SYSTEM, Channel.WORKER}


class ImportRefused(ActionError):
    """The file has problems: nothing was written. ``problems`` lists every one, with its unit code."""

    def __init__(self, problems: list[Problem]):
        message = ngettext(
            "The import was refused: %(count)d problem.", "The import was refused: %(count)d problems.", len(problems)
        ) % {"count": len(problems)}
        super().__init__(message, code="invalid_import")
        self.problems = problems


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)  # codes of new units (or POIs)
    changed: list[str] = field(default_factory=list)  # codes that got a new version (POIs: were updated)
    closed: list[str] = field(default_factory=list)  # codes closed (POIs: deleted) because missing (replace=True)
    unchanged: int = 0
    dry_run: bool = False
    revision: int | None = None  # territory revision after the import (None for a dry run)
    audit_event_id: int | None = None
    relocated_pois: int = 0

    def summary(self) -> dict:
        return {
            "created": len(self.created),
            "changed": len(self.changed),
            "closed": len(self.closed),
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "revision": self.revision,
        }


def may_edit_territory(actor: Actor) -> bool:
    """System administrators; without a user, only the system itself (console, worker, demo seed)."""
    if actor.user is None:
        return actor.channel in SYSTEM_CHANNELS
    return permissions.may_manage_territory(actor.user)


def _after_commit(units: bool, pois: bool) -> None:
    # this process: at once (the unit index was already rebuilt inside the import); other processes
    # notice the revision; receivers of territory_changed (other contexts' caches) hear it on commit
    if pois:
        queries.invalidate_pois()
    on_commit(lambda: services.territory_changed.send(sender=ImportResult, units=units, pois=pois))


def _dropping_caches_on_error(func):
    """An import that fails after rebuilding this process's index (from rows now rolled back) drops it."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BaseException:
            services.invalidate()
            queries.invalidate_pois()
            raise

    return wrapper


@_dropping_caches_on_error
@action
def import_territory(
    actor: Actor,
    geojson: dict,
    *,
    coordinate_system: str | None = None,
    valid_from: dt.date | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import a FeatureCollection of units (see docs/territory.md). All or nothing.

    ``coordinate_system`` overrides the file's ``coordinate_system`` member (default wgs84);
    ``valid_from`` is the date new versions take effect when a feature has none (default today);
    ``replace`` closes units in force that the file does not list; ``dry_run`` validates and counts
    without writing. Raises ``ImportRefused`` (with ``.problems``) when anything is wrong.
    """
    require(may_edit_territory(actor), _("You may not change the territory."))
    day = valid_from or timezone.localdate()
    tolerance = float(settings.TERRITORY.get("TOLERANCE_M2", 1.0))
    plan = importing.plan_units(
        geojson, coordinate_system=coordinate_system, valid_from=day, replace=replace, tolerance_m2=tolerance
    )
    if plan.problems:
        raise ImportRefused(plan.problems)
    result = ImportResult(
        created=plan.created, changed=plan.changed, closed=plan.closed, unchanged=plan.unchanged, dry_run=dry_run
    )
    if dry_run or not (plan.create or plan.close):
        return result
    batch = importing.apply_units(plan)
    revision = importing.bump_revision(units=True)
    services.invalidate()
    result.relocated_pois = poi_importing.relocate_all()
    if result.relocated_pois:
        importing.bump_revision(pois=True)
    result.revision = revision.units
    note = "created {created}, changed {changed}, closed {closed}, unchanged {unchanged}".format(**result.summary())
    event = record_batch(
        actor, "territory.import", "territory.unit", batch, label=f"import:r{revision.units}", note=note
    )
    result.audit_event_id = event.id
    _after_commit(units=True, pois=bool(result.relocated_pois))
    return result


@_dropping_caches_on_error
@action
def import_pois(
    actor: Actor,
    geojson: dict,
    *,
    coordinate_system: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import a FeatureCollection of points of interest (upsert by code). All or nothing.

    Each point is located in the territory and keeps its unit codes; ``replace`` deletes the points
    the file does not list. Raises ``ImportRefused`` (with ``.problems``) when anything is wrong.
    """
    require(may_edit_territory(actor), _("You may not change the territory."))
    plan = poi_importing.plan_pois(geojson, coordinate_system=coordinate_system, replace=replace)
    if plan.problems:
        raise ImportRefused(plan.problems)
    result = ImportResult(
        created=plan.created, changed=plan.changed, closed=plan.deleted, unchanged=plan.unchanged, dry_run=dry_run
    )
    if dry_run or not (plan.create or plan.update or plan.deleted):
        return result
    batch = poi_importing.apply_pois(plan)
    revision = importing.bump_revision(pois=True)
    result.revision = revision.units
    note = "created {created}, updated {changed}, deleted {closed}, unchanged {unchanged}".format(**result.summary())
    event = record_batch(actor, "territory.poi_import", "territory.pointofinterest", batch, note=note)
    result.audit_event_id = event.id
    _after_commit(units=False, pois=True)
    return result
