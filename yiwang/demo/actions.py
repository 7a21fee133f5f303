"""Batch actions of the demo seed: org units and staff users (upserts, one audit row per batch).

yiwang.core has no batch actions for org units and users yet, so the seed brings its own. They are
idempotent: a spec that matches what is stored writes nothing, and a batch that writes nothing
records no audit row. Territory and points of interest go through ``yiwang.territory.actions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from yiwang.core import permissions
from yiwang.core.actions import BatchDigest, action, record_batch, record_event, require
from yiwang.core.actor import Actor, Channel
from yiwang.core.models import OrgUnit, RoleAssignment, User

from .models import SeedStep
from .orgs import OrgSpec, UserSpec

SYSTEM_CHANNELS = {Channel.CLI, Channel.SYSTEM, Channel.WORKER}


def may_seed(actor: Actor) -> bool:
    """The system itself (console, worker) or a user who may manage users."""
    if actor.user is None:
        return actor.channel in SYSTEM_CHANNELS
    return permissions.may_manage_users(actor.user)


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    audit_event_id: int | None = None

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


_ORG_FIELDS = ("name", "name_en", "kind", "territory_code")


@action
def seed_org_units(actor: Actor, specs: list[OrgSpec]) -> SeedResult:
    """Create or update org units by code (parents must come before their children)."""
    require(may_seed(actor), _("You may not seed the demo district."))
    result = SeedResult()
    batch = BatchDigest()
    current = {o.code: o for o in OrgUnit.objects.filter(code__in=[s.code for s in specs], valid_to__isnull=True)}
    for spec in specs:
        parent = current[spec.parent] if spec.parent else None
        wanted = {f: getattr(spec, f) for f in _ORG_FIELDS}
        unit = current.get(spec.code)
        if unit is None:
            unit = OrgUnit.objects.create(code=spec.code, parent=parent, **wanted)
            current[spec.code] = unit
            result.created += 1
        elif any(getattr(unit, f) != v for f, v in wanted.items()) or unit.parent_id != (parent and parent.pk):
            for f, v in wanted.items():
                setattr(unit, f, v)
            unit.parent = parent
            unit.save()
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        batch.add({"code": spec.code, "parent": spec.parent, **wanted})
    if batch.count:
        note = str(result)
        result.audit_event_id = record_batch(actor, "demo.seed.org_units", "core.orgunit", batch, note=note).id
    return result


@action
def seed_users(actor: Actor, specs: list[UserSpec], password: str) -> SeedResult:
    """Create the demo users with ``password`` and one role each; existing users keep their password."""
    require(may_seed(actor), _("You may not seed the demo district."))
    result = SeedResult()
    batch = BatchDigest()
    orgs = {o.code: o for o in OrgUnit.objects.filter(code__in=[s.org for s in specs if s.org], valid_to__isnull=True)}
    existing = {u.username: u for u in User.objects.filter(username__in=[s.username for s in specs])}
    encoded = None  # hashed once: hashing is deliberately slow
    for spec in specs:
        org = orgs[spec.org] if spec.org else None
        user = existing.get(spec.username)
        if user is None:
            encoded = encoded or make_password(password)
            user = User(username=spec.username, display_name=spec.display_name, password=encoded)
            user.is_superuser, user.is_staff = spec.is_superuser, spec.is_staff
            user.save()
            RoleAssignment.objects.create(user=user, role=spec.role, org_unit=org)
            result.created += 1
        else:
            flags_differ = (user.is_superuser, user.is_staff) != (spec.is_superuser, spec.is_staff)
            if flags_differ:
                user.is_superuser, user.is_staff = spec.is_superuser, spec.is_staff
                user.save(update_fields=["is_superuser", "is_staff"])
            _row, assigned = RoleAssignment.objects.get_or_create(user=user, role=spec.role, org_unit=org)
            if not (flags_differ or assigned):
                result.unchanged += 1
                continue
            result.updated += 1
        batch.add({"username": spec.username, "role": spec.role, "org": spec.org, "superuser": spec.is_superuser})
    if batch.count:
        result.audit_event_id = record_batch(actor, "demo.seed.users", "core.user", batch, note=str(result)).id
    return result


@action
def mark_step_done(actor: Actor, seed: int, version: int, step: str, summary: dict) -> SeedStep:
    """Remember that ``step`` of the demo seed is done, so that a second run skips it."""
    require(may_seed(actor), _("You may not seed the demo district."))
    row, created = SeedStep.objects.get_or_create(seed=seed, version=version, step=step, defaults={"summary": summary})
    if created:
        record_event(actor, "demo.seed.step", row, after={"step": step, "seed": seed, **summary})
    return row
