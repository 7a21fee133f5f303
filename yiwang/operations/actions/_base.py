"""The skeleton every case action shares: lock, version check, transition table, scope, history, audit.

::

    step = begin(actor, case, A.DISPATCH, expected_version=v)   # row locked, state and roles checked
    step.set(department=dept, team=team)                        # denormalised columns
    ...write history rows...
    case = step.commit(reason="…", audit={"department": dept.pk})

``commit`` updates the row only if its version is still the one read (``UPDATE … WHERE version = n``), so
even without a row lock (SQLite) two people acting at once cannot both win: the second gets ``Conflict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, Conflict, record_event
from yiwang.core.actor import Actor

from .. import workflow
from ..models import Case, CaseStatusChange
from ..permissions import held_roles, require_case_action


def case_id(case) -> int:
    if isinstance(case, Case):
        return case.pk
    if isinstance(case, int | str):
        return int(case)
    raise TypeError("a Case or its id")


def lock_case(case) -> Case:
    """The case row, locked for this transaction (``SELECT … FOR UPDATE``; SQLite serialises writers)."""
    try:
        return (
            Case.objects.select_for_update(of=("self",))
            .select_related("category", "department", "team")
            .get(pk=case_id(case))
        )
    except Case.DoesNotExist:
        raise ActionError(_("There is no such case."), code="not_found")


def check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != case.version:
        raise Conflict(
            _(
                "Case %(code)s was changed by someone else while you were looking at it (it is now %(state)s, "
                "version %(now)s; you saw version %(seen)s). Reload it and try again."
            )
            % {
                "code": case.code,
                "state": case.get_status_display(),
                "now": case.version,
                "seen": expected_version,
            }
        )


def actor_label(actor: Actor) -> str:
    return actor.label


@dataclass
class Step:
    actor: Actor
    case: Case
    action: str
    before_status: str
    new_status: str
    roles: set[str]
    now: object
    changes: dict = field(default_factory=dict)

    def set(self, **values) -> None:
        self.changes.update(values)
        for name, value in values.items():
            setattr(self.case, name, value)

    @property
    def changes_status(self) -> bool:
        transition = workflow.TRANSITIONS[(self.before_status, self.action)]
        return transition.target != workflow.SAME

    def commit(self, *, reason: str = "", audit: dict | None = None, note: str = "") -> Case:
        case = self.case
        old_version = case.version
        values = {**self.changes, "status": self.new_status, "updated_at": self.now, "version": old_version + 1}
        updated = Case.objects.filter(pk=case.pk, version=old_version).update(**values)
        if not updated:
            raise Conflict(
                _("Case %(code)s was changed by someone else at the same moment; reload it and try again.")
                % {"code": case.code}
            )
        case.status = self.new_status
        case.updated_at = self.now
        case.version = old_version + 1
        if self.changes_status:
            CaseStatusChange.objects.create(
                case=case,
                at=self.now,
                actor=self.actor.user,
                actor_label=self.actor.label,
                from_status=self.before_status,
                to_status=self.new_status,
                action=self.action,
                reason=reason,
                version=case.version,
            )
        after = {"status": self.new_status, "version": case.version, **(audit or {})}
        record_event(
            self.actor,
            f"operations.case.{self.action}",
            case,
            before={"status": self.before_status, "version": old_version},
            after=after,
            note=note[:200],
        )
        return case


def begin(actor: Actor, case, action: str, *, expected_version: int | None = None) -> Step:
    """Lock the case, check the version the user saw, the transition table and the actor's scope."""
    row = lock_case(case)
    check_version(row, expected_version)
    roles = held_roles(actor, row)
    new_status = workflow.check(row.status, action, roles, previous=row.status_before_suspension)
    roles = require_case_action(actor, row, action)
    return Step(actor, row, action, row.status, new_status, roles, timezone.now())


def require_text(value: str, field_name: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionError(message, field=field_name)
    return value
