"""Weather warnings: entered by hand, imported (all or nothing), cancelled — each audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, BatchDigest, action, record_batch, record_event, require
from yiwang.core.actor import Actor

from ..models import WeatherWarning
from ..permissions import actor_may_manage
from ..warnings_import import check_row, parse_warnings


class WarningsRefused(ActionError):
    """The import was refused; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__(_("The warnings were not imported: %(n)s problem(s).") % {"n": len(problems)})
        self.problems = problems


@dataclass
class WarningsImported:
    created: list[int] = field(default_factory=list)
    unchanged: int = 0
    audit_event_id: int | None = None

    def summary(self) -> dict:
        return {"created": len(self.created), "unchanged": self.unchanged}


def _summary(w: WeatherWarning) -> dict:
    return {
        "kind": w.kind,
        "level": w.level,
        "valid_from": w.valid_from.isoformat(),
        "valid_to": w.valid_to.isoformat() if w.valid_to else None,
        "source": w.source,
        "reference": w.reference,
    }


@action
def enter_warning(actor: Actor, **fields) -> WeatherWarning:
    """Record one warning typed in by the operations centre (fields as in the import)."""
    require(actor_may_manage(actor), _("You may not enter weather warnings."))
    problems: list[str] = []
    row = check_row(fields, str(_("warning")), problems)
    if not problems and row["reference"]:
        if WeatherWarning.objects.filter(source=row["source"], reference=row["reference"]).exists():
            problems.append(str(_("warning: reference %(ref)s of %(source)s is already recorded") % row))
    if problems:
        raise WarningsRefused(problems)
    warning = WeatherWarning.objects.create(**row, entered_by=actor.user)
    record_event(actor, "flood.warning.enter", warning, after=_summary(warning))
    return warning


@action
def import_warnings(actor: Actor, data: bytes | str, fmt: str) -> WarningsImported:
    """Import a CSV or JSON file of warnings: every row valid, or nothing is written.

    A row whose (source, reference) is already recorded is counted as unchanged (re-importing a feed
    is harmless). One batch audit row ``flood.warning.import``.
    """
    require(actor_may_manage(actor), _("You may not import weather warnings."))
    parsed = parse_warnings(data, fmt)
    if parsed.problems:
        raise WarningsRefused(parsed.problems)
    known = set(
        WeatherWarning.objects.exclude(reference="")
        .filter(reference__in=[r["reference"] for r in parsed.rows if r["reference"]])
        .values_list("source", "reference")
    )
    result = WarningsImported()
    digest = BatchDigest()
    for row in parsed.rows:
        if row["reference"] and (row["source"], row["reference"]) in known:
            result.unchanged += 1
            continue
        warning = WeatherWarning.objects.create(**row, entered_by=actor.user)
        result.created.append(warning.pk)
        digest.add({"id": warning.pk, **_summary(warning)})
    note = "created {created}, unchanged {unchanged}".format(**result.summary())
    event = record_batch(actor, "flood.warning.import", "flood.weatherwarning", digest, note=note)
    result.audit_event_id = event.pk
    return result


@action
def cancel_warning(actor: Actor, warning: WeatherWarning) -> WeatherWarning:
    """The office lifted the warning (解除): it stops being active now."""
    require(actor_may_manage(actor), _("You may not cancel weather warnings."))
    warning = WeatherWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.cancelled_at is not None:
        raise ActionError(_("This warning was already cancelled."))
    warning.cancelled_at = timezone.now()
    warning.save(update_fields=["cancelled_at"])
    record_event(actor, "flood.warning.cancel", warning, after={"cancelled": True})
    return warning
