"""Checking an interchange document field by field: a report of (row, field, problem) for every problem.

Pure: the caller passes the department codes and licence type codes that exist. ``validate`` returns
the document with typed values (booleans, integers) and the list of problems; the import writes only
when the list is empty.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import NamedTuple

from django.utils.translation import gettext as _

from .guide import QuestionSpec, dead_ends
from .interchange import (
    FORMAT,
    ITEM_FIELDS,
    LICENCE_TYPE_FIELDS,
    MATERIAL_FIELDS,
    OPTION_FIELDS,
    QUESTION_FIELDS,
    SITUATION_FIELDS,
)
from .models import ITEM_CODE_PATTERN, SLUG_PATTERN, ItemType, MaterialSource

MAX_DAYS = 3650
MAX_VISITS = 9
MAX_FEE_FEN = 1_000_000_000
TEXT_LIMITS = {"name": 200, "name_en": 200, "text": 300, "text_en": 300, "label": 300, "label_en": 300}


class Problem(NamedTuple):
    row: int | str  # CSV line number, or JSON path
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.row}\t{self.field}\t{self.problem}"


TRUE = {True, "true", "1", "yes", "y"}
FALSE = {False, "false", "0", "no", "n", ""}


class _Checker:
    def __init__(self, departments: Collection[str], licence_types: Collection[str]):
        self.departments = set(departments)
        self.licence_types = set(licence_types)
        self.problems: list[Problem] = []

    def add(self, record: dict, field: str, problem: str) -> None:
        self.problems.append(Problem(record.get("_row", "?"), field, problem))

    def fields(self, record, allowed: tuple[str, ...], nested: tuple[str, ...] = ()) -> None:
        if not isinstance(record, dict):
            self.problems.append(Problem("?", "", _("a record must be an object")))
            return
        for key in record:
            if key not in allowed and key not in nested and key != "_row":
                self.add(record, key, _("unknown field"))

    def text(self, record, field, *, required=True, pattern=None, message="") -> str:
        value = record.get(field, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(record, field, _("must be text"))
            return ""
        value = value.strip()
        if required and not value:
            self.add(record, field, _("required"))
        elif value and pattern and not re.match(pattern, value):
            self.add(record, field, message)
        elif len(value) > TEXT_LIMITS.get(field, 10_000):
            self.add(record, field, _("longer than %(n)d characters") % {"n": TEXT_LIMITS[field]})
        return value

    def boolean(self, record, field, default: bool) -> bool:
        value = record.get(field, default)
        value = value.strip().lower() if isinstance(value, str) else value
        if value == "" and field in record:
            return default
        if isinstance(value, bool | str | int) and value in TRUE:
            return True
        if isinstance(value, bool | str | int) and value in FALSE:
            return False
        self.add(record, field, _("must be true or false"))
        return default

    def integer(self, record, field, *, default=None, maximum: int) -> int | None:
        value = record.get(field, default)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if value is None or value == "":
            self.add(record, field, _("required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(record, field, _("must be a whole number"))
            return None
        if not 0 <= value <= maximum:
            self.add(record, field, _("must be between 0 and %(max)d") % {"max": maximum})
            return None
        return value

    def choice(self, record, field, choices) -> str:
        value = record.get(field, "")
        if value not in choices:
            self.add(record, field, _("must be one of %(choices)s") % {"choices": ", ".join(choices)})
        return value if isinstance(value, str) else ""


def validate(document: dict, *, departments: Collection[str], licence_types: Collection[str]):
    """``(typed document, problems)``; ``licence_types``: codes already in the database."""
    c = _Checker(departments, licence_types)
    c.problems.extend(Problem(*p) for p in document.get("_problems", []))
    if document.get("format", FORMAT) != FORMAT:
        c.add(document, "format", _("must be %(format)s") % {"format": FORMAT})
    for key in document:
        if key not in ("format", "version", "licence_types", "items", "_problems", "_row"):
            c.add({"_row": "$"}, key, _("unknown field"))
    out = {"format": FORMAT, "version": 1, "licence_types": [], "items": []}
    seen: set[str] = set()
    for lt in _list(c, document, "licence_types"):
        c.fields(lt, LICENCE_TYPE_FIELDS)
        if not isinstance(lt, dict):
            continue
        code = c.text(lt, "code", pattern=SLUG_PATTERN, message=_("letters, digits, '.', '_' or '-' (up to 40)"))
        if code in seen:
            c.add(lt, "code", _("appears twice"))
        seen.add(code)
        dept = c.text(lt, "issuing_department", required=False)
        if dept and dept not in c.departments:
            c.add(lt, "issuing_department", _("no department with code %(code)s") % {"code": dept})
        out["licence_types"].append(
            {"code": code, "name": c.text(lt, "name"), "name_en": c.text(lt, "name_en", required=False),
             "issuing_department": dept, "electronic": c.boolean(lt, "electronic", True), "_row": lt.get("_row")}
        )  # fmt: skip
    c.licence_types |= seen
    codes: set[str] = set()
    for item in _list(c, document, "items"):
        if isinstance(item, dict):
            out["items"].append(_item(c, item, codes))
        else:
            c.fields(item, ITEM_FIELDS)
    return out, c.problems


def _list(c: _Checker, record: dict, key: str) -> list:
    value = record.get(key, [])
    if not isinstance(value, list):
        c.add(record, key, _("must be a list"))
        return []
    return value


def _item(c: _Checker, item: dict, codes: set[str]) -> dict:
    before = len(c.problems)
    c.fields(item, ITEM_FIELDS, ("situations", "questions"))
    code = c.text(item, "code", pattern=ITEM_CODE_PATTERN, message=_("must look like 310106-000201-01-00X"))
    if code and code in codes:
        c.add(item, "code", _("appears twice"))
    codes.add(code)
    dept = c.text(item, "department")
    if dept and dept not in c.departments:
        c.add(item, "department", _("no department with code %(code)s") % {"code": dept})
    out = {
        "code": code, "name": c.text(item, "name"), "name_en": c.text(item, "name_en", required=False),
        "type": c.choice(item, "type", ItemType.values), "department": dept,
        "for_persons": c.boolean(item, "for_persons", True), "for_companies": c.boolean(item, "for_companies", False),
        "description": c.text(item, "description", required=False), "active": c.boolean(item, "active", True),
        "situations": [], "questions": [], "_row": item.get("_row"),
    }  # fmt: skip
    if not (out["for_persons"] or out["for_companies"]):
        c.add(item, "for_persons", _("an item serves persons, companies or both"))
    sit_codes: list[str] = []
    for sit in _list(c, item, "situations"):
        c.fields(sit, SITUATION_FIELDS, ("materials",))
        if isinstance(sit, dict):
            out["situations"].append(_situation(c, sit, sit_codes))
    q_codes: set[str] = set()
    specs = []
    for q in _list(c, item, "questions"):
        c.fields(q, QUESTION_FIELDS, ("options",))
        if isinstance(q, dict):
            question = _question(c, q, q_codes, sit_codes)
            out["questions"].append(question)
            specs.append(
                QuestionSpec(question["code"], {o["code"]: frozenset(o["situations"]) for o in question["options"]})
            )
    if len(sit_codes) > 1 and len(c.problems) == before:
        for answers, left in dead_ends(sit_codes, specs)[:3]:
            path = ", ".join(f"{k}={v}" for k, v in answers.items()) or _("no answers")
            message = _("guidance does not lead to exactly one situation (%(path)s: %(left)s)")
            c.add(item, "questions", message % {"path": path, "left": " ".join(left) or "-"})
    return out


def _situation(c: _Checker, sit: dict, codes: list[str]) -> dict:
    code = c.text(sit, "code", pattern=SLUG_PATTERN, message=_("letters, digits, '.', '_' or '-' (up to 40)"))
    if code in codes:
        c.add(sit, "code", _("appears twice in the item"))
    codes.append(code)
    out = {"code": code, "name": c.text(sit, "name"), "name_en": c.text(sit, "name_en", required=False)}
    out["statutory_days"] = c.integer(sit, "statutory_days", maximum=MAX_DAYS)
    out["promised_days"] = c.integer(sit, "promised_days", maximum=MAX_DAYS)
    if None not in (out["statutory_days"], out["promised_days"]) and out["promised_days"] > out["statutory_days"]:
        c.add(sit, "promised_days", _("longer than the statutory time limit"))
    out["fee_fen"] = c.integer(sit, "fee_fen", default=0, maximum=MAX_FEE_FEN)
    for channel, default in (("online", True), ("window", True), ("kiosk", False)):
        out[channel] = c.boolean(sit, channel, default)
    if not (out["online"] or out["window"] or out["kiosk"]):
        c.add(sit, "online", _("a situation needs at least one channel (online, window, kiosk)"))
    out["on_the_spot"] = c.boolean(sit, "on_the_spot", False)
    out["max_visits"] = c.integer(sit, "max_visits", default=1, maximum=MAX_VISITS)
    out["materials"] = []
    for mat in _list(c, sit, "materials"):
        c.fields(mat, MATERIAL_FIELDS)
        if isinstance(mat, dict):
            out["materials"].append(_material(c, mat))
    out["_row"] = sit.get("_row")
    return out


def _material(c: _Checker, mat: dict) -> dict:
    source = c.choice(mat, "source", MaterialSource.values)
    licence = c.text(mat, "licence_type", required=False)
    if source == MaterialSource.LICENCE and not licence:
        c.add(mat, "licence_type", _("required when the source is licence"))
    elif source == MaterialSource.APPLICANT and licence:
        c.add(mat, "licence_type", _("only for materials of source licence"))
    elif licence and licence not in c.licence_types:
        c.add(mat, "licence_type", _("no licence type with code %(code)s") % {"code": licence})
    return {
        "name": c.text(mat, "name"), "name_en": c.text(mat, "name_en", required=False),
        "required": c.boolean(mat, "required", True), "source": source, "licence_type": licence,
        "_row": mat.get("_row"),
    }  # fmt: skip


def _question(c: _Checker, q: dict, codes: set[str], situations: list[str]) -> dict:
    code = c.text(q, "code", pattern=SLUG_PATTERN, message=_("letters, digits, '.', '_' or '-' (up to 40)"))
    if code in codes:
        c.add(q, "code", _("appears twice in the item"))
    codes.add(code)
    out = {"code": code, "text": c.text(q, "text"), "text_en": c.text(q, "text_en", required=False), "options": []}
    opt_codes: set[str] = set()
    for opt in _list(c, q, "options"):
        c.fields(opt, OPTION_FIELDS)
        if not isinstance(opt, dict):
            continue
        ocode = c.text(opt, "code", pattern=SLUG_PATTERN, message=_("letters, digits, '.', '_' or '-' (up to 40)"))
        if ocode in opt_codes:
            c.add(opt, "code", _("appears twice in the question"))
        opt_codes.add(ocode)
        kept = opt.get("situations", [])
        if not isinstance(kept, list) or not all(isinstance(s, str) for s in kept):
            c.add(opt, "situations", _("must be a list of situation codes"))
            kept = []
        if not kept:
            c.add(opt, "situations", _("an option keeps at least one situation"))
        for s in kept:
            if s not in situations:
                c.add(opt, "situations", _("no situation %(code)s in the item") % {"code": s})
        ordered = [s for s in situations if s in kept]
        out["options"].append(
            {"code": ocode, "label": c.text(opt, "label"), "label_en": c.text(opt, "label_en", required=False),
             "situations": ordered, "_row": opt.get("_row")}
        )  # fmt: skip
    if len(out["options"]) < 2:
        c.add(q, "options", _("a question needs at least two options"))
    out["_row"] = q.get("_row")
    return out
