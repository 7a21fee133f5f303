"""Reading weather warnings from CSV or JSON, every row checked before anything is written.

CSV header (UTF-8, a BOM is fine): ``kind,level,issued_at,valid_from,valid_to,area,text,source,reference``.
JSON: a list of objects with the same keys, or ``{"warnings": [...]}``. ``kind`` and ``level`` take the
English code or the Chinese word (暴雨, 台风, 蓝色, 红色 …). Times are ISO 8601; a time without a zone
is the district's local time. ``valid_from`` defaults to ``issued_at``; ``valid_to`` may be empty
(until cancelled). ``source`` is required; ``reference`` (the office's warning number) is optional
and, when given, unique per source.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import WarningKind, WarningLevel

COLUMNS = ("kind", "level", "issued_at", "valid_from", "valid_to", "area", "text", "source", "reference")
MAX_ROWS = 5000
KIND_WORDS = {"暴雨": "rainstorm", "台风": "typhoon", "雷电": "thunderstorm", "大风": "gale", "高潮位": "high_tide"}
LEVEL_WORDS = {"蓝色": "blue", "黄色": "yellow", "橙色": "orange", "红色": "red", "蓝": "blue", "黄": "yellow"}
LEVEL_WORDS.update({"橙": "orange", "红": "red"})
LIMITS = {"area": 200, "source": 100, "reference": 100, "text": 4000}


@dataclass
class ParsedWarnings:
    rows: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_rows(data: bytes | str, fmt: str) -> tuple[list[dict], list[str]]:
    """The raw rows of a CSV or JSON document, or the problem that stops reading it."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    if fmt == "json":
        try:
            doc = json.loads(text)
        except ValueError as exc:
            return [], [_("The file is not valid JSON: %(error)s") % {"error": exc}]
        if isinstance(doc, dict):
            doc = doc.get("warnings")
        if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
            return [], [_('JSON must be a list of warnings or {"warnings": [...]}.')]
        return doc, []
    if fmt != "csv":
        return [], [_("Unknown format %(fmt)s (csv or json).") % {"fmt": fmt}]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in ("kind", "level", "issued_at", "source") if c not in header]
    if missing:
        return [], [_("The CSV header lacks the column(s): %(cols)s") % {"cols": ", ".join(missing)}]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        return [], [_("Unknown CSV column(s): %(cols)s") % {"cols": ", ".join(unknown)}]
    reader.fieldnames = header
    return [{k: v for k, v in row.items() if k is not None} for row in reader], []


def _time(value, name: str, problems: list[str], where: str, *, required: bool) -> dt.datetime | None:
    text = str(value or "").strip()
    if not text:
        if required:
            problems.append(_("%(where)s: %(field)s is missing") % {"where": where, "field": name})
        return None
    parsed = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
    if parsed is None:
        problems.append(
            _("%(where)s: %(field)s “%(value)s” is not a date and time (2026-07-01T08:00+08:00)")
            % {"where": where, "field": name, "value": text[:40]}
        )
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _choice(value, name: str, words: dict, choices, problems: list[str], where: str) -> str:
    text = str(value or "").strip()
    code = words.get(text, text.lower())
    if code not in choices.values:
        problems.append(
            _("%(where)s: %(field)s “%(value)s” is not one of %(allowed)s")
            % {"where": where, "field": name, "value": text[:40], "allowed": ", ".join(choices.values)}
        )
    return code


def check_row(raw: dict, where: str, problems: list[str]) -> dict:
    """One warning's fields, checked; problems are appended (prefixed with ``where``)."""
    row = {
        "kind": _choice(raw.get("kind"), "kind", KIND_WORDS, WarningKind, problems, where),
        "level": _choice(raw.get("level"), "level", LEVEL_WORDS, WarningLevel, problems, where),
        "issued_at": _time(raw.get("issued_at"), "issued_at", problems, where, required=True),
    }
    row["valid_from"] = _time(raw.get("valid_from"), "valid_from", problems, where, required=False) or row["issued_at"]
    row["valid_to"] = _time(raw.get("valid_to"), "valid_to", problems, where, required=False)
    if row["valid_from"] and row["valid_to"] and row["valid_to"] <= row["valid_from"]:
        problems.append(_("%(where)s: valid_to must be after valid_from") % {"where": where})
    for name in ("area", "text", "source", "reference"):
        row[name] = str(raw.get(name) or "").strip()
        if len(row[name]) > LIMITS[name]:
            problems.append(
                _("%(where)s: %(field)s is longer than %(n)s characters")
                % {"where": where, "field": name, "n": LIMITS[name]}
            )
    if not row["source"]:
        problems.append(_("%(where)s: source is missing") % {"where": where})
    return row


def parse_warnings(data: bytes | str, fmt: str) -> ParsedWarnings:
    """Every row checked; ``problems`` lists them all (``row 3: level “purple” is not one of …``)."""
    raw_rows, problems = read_rows(data, fmt)
    out = ParsedWarnings(problems=problems)
    if problems:
        return out
    if not raw_rows:
        out.problems.append(_("The file holds no warning."))
        return out
    if len(raw_rows) > MAX_ROWS:
        out.problems.append(_("At most %(n)s warnings per file.") % {"n": MAX_ROWS})
        return out
    seen: dict[tuple[str, str], int] = {}
    for i, raw in enumerate(raw_rows, start=1):
        where = _("row %(n)s") % {"n": i}
        row = check_row(raw, where, out.problems)
        if row["reference"]:
            key = (row["source"], row["reference"])
            if key in seen:
                out.problems.append(
                    _("%(where)s: reference %(ref)s appears twice (also row %(other)s)")
                    % {"where": where, "ref": row["reference"], "other": seen[key]}
                )
            seen.setdefault(key, i)
        out.rows.append(row)
    return out
