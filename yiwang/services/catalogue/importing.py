"""Importing an interchange document: validate everything, then write all of it or nothing.

Items are matched by code, situations by (item, code), materials by their position in the
situation, questions and options by code; a record missing from the file is deleted (refused, with a
problem, when an application still refers to it). Items absent from the file are left alone.
Licence types are matched by code and never deleted. One audit row for the whole batch.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from yiwang.core import permissions
from yiwang.core.actions import ActionError, BatchDigest, action, record_batch, require
from yiwang.core.actor import Actor, Channel
from yiwang.core.models import OrgUnit

from . import interchange
from .exporting import item_record, items_for_export, licence_type_record
from .models import Item, LicenceType, Material, Option, Question, Situation
from .validation import Problem, validate

SYSTEM_CHANNELS = {Channel.CLI, Channel.SYSTEM, Channel.WORKER}


class ImportRejected(ActionError):
    """The document has problems; nothing was written. ``problems``: [(row, field, problem), ...]."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("The catalogue file has %(n)d problem(s); nothing was imported.") % {"n": len(problems)})
        self.problems = problems

    def report(self) -> str:
        return "\n".join(["row\tfield\tproblem", *(str(p) for p in self.problems)])


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    licence_types: int = 0
    counts: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "licence_types": self.licence_types, **self.counts}  # fmt: skip


def may_import(actor: Actor) -> bool:
    """System administrators; without a user, only the system itself (console, worker, demo seed)."""
    if actor.user is None:
        return actor.channel in SYSTEM_CHANNELS
    return permissions.may_manage_catalogue(actor.user)


def read(text: str, fmt: str | None = None) -> dict:
    """Parse ``text`` as ``fmt`` ("json"/"csv"; guessed from the first character when None)."""
    if fmt is None:
        fmt = "json" if text.lstrip("\ufeff \r\n\t")[:1] == "{" else "csv"
    try:
        return interchange.read_json(text) if fmt == "json" else interchange.read_csv(text)
    except interchange.ReadError as exc:
        raise ImportRejected([Problem(*p) for p in exc.problems]) from exc


def _departments() -> dict[str, OrgUnit]:
    """Department code -> the unit in force today (the newest of that code)."""
    units: dict[str, OrgUnit] = {}
    for unit in OrgUnit.objects.order_by("code", "valid_from"):
        if unit.is_current() or unit.code not in units:
            units[unit.code] = unit
    return units


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "_row"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


@action
def import_catalogue(actor: Actor, document: dict | str, *, fmt: str | None = None) -> ImportResult:
    """Validate and write ``document`` (a parsed document, or JSON/CSV text) all-or-nothing."""
    require(may_import(actor), _("You may not change the service catalogue."))
    if isinstance(document, str):
        document = read(document, fmt)
    else:
        document = interchange.mark_paths(copy.deepcopy(document))
    departments = _departments()
    known_licences = set(LicenceType.objects.values_list("code", flat=True))
    clean, problems = validate(document, departments=departments.keys(), licence_types=known_licences)
    if problems:
        raise ImportRejected(problems)
    clean = _strip(clean)
    result = ImportResult()
    digest = BatchDigest()
    result.licence_types = _licence_types(clean["licence_types"], departments, digest)
    codes = [i["code"] for i in clean["items"]]
    existing = {i.code: i for i in items_for_export(Item.objects.filter(code__in=codes))}
    fresh = []
    for record in clean["items"]:
        digest.add(record)
        item = existing.get(record["code"])
        if item is None:
            fresh.append(record)
        elif item_record(item) == record:
            result.unchanged += 1
        else:
            _update_item(item, record, departments)
            result.updated += 1
    result.counts = _create_items(fresh, departments)
    result.created = len(fresh)
    record_batch(actor, "catalogue.import", "catalogue.item", digest, note=f"{len(codes)} items")
    return result


def _licence_types(records: list[dict], departments: dict, digest: BatchDigest) -> int:
    existing = {lt.code: lt for lt in LicenceType.objects.select_related("issuing_department")}
    changed = 0
    for record in records:
        digest.add(record)
        lt = existing.get(record["code"])
        if lt is not None and licence_type_record(lt) == record:
            continue
        lt = lt or LicenceType(code=record["code"])
        lt.name, lt.name_en, lt.electronic = record["name"], record["name_en"], record["electronic"]
        lt.issuing_department = departments.get(record["issuing_department"])
        lt.save()
        changed += 1
    return changed


def _item_fields(record: dict, departments: dict) -> dict:
    keys = ("name", "name_en", "type", "for_persons", "for_companies", "description", "active")
    return {**{k: record[k] for k in keys}, "department": departments[record["department"]]}


SITUATION_KEYS = ("name", "name_en", "statutory_days", "promised_days", "fee_fen", "online", "window", "kiosk",
                  "on_the_spot", "max_visits")  # fmt: skip


def _create_items(records: list[dict], departments: dict) -> dict:
    """Bulk path for items new to the database (the demo seed, a first import)."""
    items = Item.objects.bulk_create(Item(code=r["code"], **_item_fields(r, departments)) for r in records)
    situations, materials, questions, options, links = [], [], [], [], []
    for item, r in zip(items, records, strict=True):
        for pos, s in enumerate(r["situations"]):
            situations.append(Situation(item=item, code=s["code"], position=pos, **{k: s[k] for k in SITUATION_KEYS}))
    Situation.objects.bulk_create(situations)
    by_code = {(s.item.code, s.code): s for s in situations}
    for r in records:
        for s in r["situations"]:
            sit = by_code[(r["code"], s["code"])]
            materials += [_material(sit, pos, m) for pos, m in enumerate(s["materials"])]
    Material.objects.bulk_create(materials)
    pending = []
    for item, r in zip(items, records, strict=True):
        for pos, q in enumerate(r["questions"]):
            question = Question(item=item, code=q["code"], position=pos, text=q["text"], text_en=q["text_en"])
            questions.append(question)
            pending.append((question, r["code"], q["options"]))
    Question.objects.bulk_create(questions)
    for question, code, opts in pending:
        for pos, o in enumerate(opts):
            option = Option(question=question, code=o["code"], position=pos, label=o["label"], label_en=o["label_en"])
            options.append(option)
            links.append((option, [by_code[(code, s)] for s in o["situations"]]))
    Option.objects.bulk_create(options)
    through = Option.situations.through
    through.objects.bulk_create(
        through(option_id=option.pk, situation_id=sit.pk) for option, sits in links for sit in sits
    )
    return {"situations": len(situations), "materials": len(materials), "questions": len(questions)}


def _material(situation: Situation, position: int, m: dict) -> Material:
    return Material(
        situation=situation, position=position, name=m["name"], name_en=m["name_en"], required=m["required"],
        source=m["source"], licence_type_id=m["licence_type"] or None,
    )  # fmt: skip


def _delete(queryset, what: str, row) -> None:
    try:
        queryset.delete()
    except ProtectedError as exc:
        raise ImportRejected([Problem(row, what, str(_("still used by applications; it cannot be removed")))]) from exc


def _update_item(item: Item, record: dict, departments: dict) -> None:
    for key, value in _item_fields(record, departments).items():
        setattr(item, key, value)
    item.save()
    situations = {s.code: s for s in item.situations.all()}
    wanted = [s["code"] for s in record["situations"]]
    _delete(Situation.objects.filter(item=item).exclude(code__in=wanted), "situations", record["code"])
    for pos, s in enumerate(record["situations"]):
        sit = situations.get(s["code"]) or Situation(item=item, code=s["code"])
        sit.position = pos
        for key in SITUATION_KEYS:
            setattr(sit, key, s[key])
        sit.save()
        situations[s["code"]] = sit
        old = list(sit.materials.order_by("position", "id")) if sit.pk else []
        for n, m in enumerate(s["materials"]):
            new = _material(sit, n, m)
            if n < len(old):
                new.pk = old[n].pk
            new.save()
        if len(old) > len(s["materials"]):
            extra = [m.pk for m in old[len(s["materials"]) :]]
            _delete(Material.objects.filter(pk__in=extra), "materials", f"{record['code']}/{s['code']}")
    questions = {q.code: q for q in item.questions.all()}
    Question.objects.filter(item=item).exclude(code__in=[q["code"] for q in record["questions"]]).delete()
    for pos, q in enumerate(record["questions"]):
        question = questions.get(q["code"]) or Question(item=item, code=q["code"])
        question.position, question.text, question.text_en = pos, q["text"], q["text_en"]
        question.save()
        question.options.exclude(code__in=[o["code"] for o in q["options"]]).delete()
        current = {o.code: o for o in question.options.all()}
        for opos, o in enumerate(q["options"]):
            option = current.get(o["code"]) or Option(question=question, code=o["code"])
            option.position, option.label, option.label_en = opos, o["label"], o["label_en"]
            option.save()
            option.situations.set([situations[c] for c in o["situations"]])
