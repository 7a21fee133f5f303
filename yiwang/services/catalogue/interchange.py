"""The catalogue's interchange formats: nested JSON and one flat CSV file (layout in docs/services.md).

Both read into the same *document*: ``{"format", "version", "licence_types": [...], "items": [...]}``
with situations, materials and questions nested in their item. Every record read carries ``"_row"``:
the CSV line number (the header is line 1) or the JSON path (``items[3].situations[0]``), so that the
validation report can name where each problem is. Writing drops ``_row``.
"""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

FORMAT = "yiwang-catalogue"
VERSION = 1

LICENCE_TYPE_FIELDS = ("code", "name", "name_en", "issuing_department", "electronic")
ITEM_FIELDS = ("code", "name", "name_en", "type", "department", "for_persons", "for_companies", "description", "active")
SITUATION_FIELDS = (
    "code", "name", "name_en", "statutory_days", "promised_days", "fee_fen",
    "online", "window", "kiosk", "on_the_spot", "max_visits",
)  # fmt: skip
MATERIAL_FIELDS = ("name", "name_en", "required", "source", "licence_type")
QUESTION_FIELDS = ("code", "text", "text_en")
OPTION_FIELDS = ("code", "label", "label_en", "situations")

# CSV: one column per field, prefixed by its record (item_code, situation_name, ...)
CSV_COLUMNS = (
    ("record",)
    + tuple(f"item_{f}" for f in ITEM_FIELDS)
    + tuple(f"situation_{f}" for f in SITUATION_FIELDS)
    + tuple(f"material_{f}" for f in MATERIAL_FIELDS)
    + tuple(f"question_{f}" for f in QUESTION_FIELDS)
    + tuple(f"option_{f}" for f in OPTION_FIELDS)
    + tuple(f"licence_{f}" for f in LICENCE_TYPE_FIELDS)
)
RECORDS = ("licence_type", "item", "situation", "material", "option")


class ReadError(ValueError):
    """The file cannot be read at all (not JSON, not CSV with our header): ``problems`` says why."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{r} {f}: {p}" for r, f, p in problems))
        self.problems = problems


# --- JSON ------------------------------------------------------------------------------------------


def read_json(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError([(f"line {exc.lineno}", "", _("not valid JSON: %(error)s") % {"error": exc.msg})]) from exc
    if not isinstance(data, dict):
        raise ReadError([("$", "", _("the document must be a JSON object"))])
    return mark_paths(data)


def mark_paths(document: dict) -> dict:
    """Give every record without a ``_row`` its JSON path (``items[0].situations[1]``), in place."""

    def mark(records, path):
        if not isinstance(records, list):
            return
        for n, record in enumerate(records):
            if isinstance(record, dict):
                record.setdefault("_row", f"{path}[{n}]")
                for key in ("situations", "materials", "questions", "options"):
                    if key in record:
                        mark(record[key], f"{path}[{n}].{key}")

    mark(document.get("licence_types", []), "licence_types")
    mark(document.get("items", []), "items")
    return document


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k != "_row"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def write_json(document: dict) -> str:
    return json.dumps(_clean(document), ensure_ascii=False, indent=2) + "\n"


# --- CSV -------------------------------------------------------------------------------------------


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(value)
    return "" if value is None else str(value)


def write_csv(document: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(record: str, **parts) -> None:
        values = {"record": record}
        for prefix, data, fields in parts.values():
            values.update({f"{prefix}_{f}": _cell(data.get(f)) for f in fields})
        writer.writerow([values.get(c, "") for c in CSV_COLUMNS])

    for lt in document.get("licence_types", []):
        row("licence_type", lt=("licence", lt, LICENCE_TYPE_FIELDS))
    for item in document.get("items", []):
        it = ("item", item, ITEM_FIELDS)
        if not item.get("situations"):
            row("item", it=it)
        for sit in item.get("situations", []):
            st = ("situation", sit, SITUATION_FIELDS)
            if not sit.get("materials"):
                row("situation", it=it, st=st)
            for mat in sit.get("materials", []):
                row("material", it=it, st=st, mt=("material", mat, MATERIAL_FIELDS))
        for q in item.get("questions", []):
            for opt in q.get("options", []):
                row("option", it=it, q=("question", q, QUESTION_FIELDS), o=("option", opt, OPTION_FIELDS))
    return out.getvalue()


def read_csv(text: str) -> dict:
    """Rebuild the nested document; repeated item/situation/question columns must agree (else a problem)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError([(1, "", _("the file is empty"))]) from None
    missing = [c for c in ("record", "item_code") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        problems = [(1, c, _("column missing")) for c in missing] + [(1, c, _("unknown column")) for c in unknown]
        raise ReadError(problems)
    document: dict = {"format": FORMAT, "version": VERSION, "licence_types": [], "items": [], "_problems": []}
    items: dict[str, dict] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cells):
            continue
        if len(cells) != len(header):
            document["_problems"].append(
                (line, "", _("%(n)d cells, the header has %(m)d") % {"n": len(cells), "m": len(header)})
            )
            continue
        values = dict(zip(header, cells, strict=True))
        record = values.get("record", "")

        def part(prefix, fields, values=values):
            return {f: values.get(f"{prefix}_{f}", "") for f in fields}

        if record == "licence_type":
            document["licence_types"].append({**part("licence", LICENCE_TYPE_FIELDS), "_row": line})
            continue
        if record not in RECORDS:
            document["_problems"].append(
                (line, "record", _("must be one of %(choices)s") % {"choices": ", ".join(RECORDS)})
            )
            continue
        item = _same(items, values["item_code"], part("item", ITEM_FIELDS), line, "item", document)
        if item is None:
            continue
        if record == "item":
            continue
        if record == "option":
            q = part("question", QUESTION_FIELDS)
            question = _same(item["_questions"], q["code"], q, line, "question", document)
            if question is not None:
                opt = part("option", OPTION_FIELDS)
                opt["situations"] = opt["situations"].split()
                question["options"].append({**opt, "_row": line})
            continue
        sit = _same(item["_situations"], values["situation_code"], part("situation", SITUATION_FIELDS), line,
                    "situation", document)  # fmt: skip
        if sit is not None and record == "material":
            sit["materials"].append({**part("material", MATERIAL_FIELDS), "_row": line})
    for item in items.values():
        item["situations"] = list(item.pop("_situations").values())
        item["questions"] = list(item.pop("_questions").values())
        document["items"].append(item)
    return document


def _same(index: dict, key: str, values: dict, line: int, kind: str, document: dict) -> dict | None:
    """The record ``key`` of ``index``, created from ``values`` the first time; later rows must repeat it."""
    existing = index.get(key)
    if existing is None:
        record = {**values, "_row": line}
        if kind == "item":
            record.update(_situations={}, _questions={})
        elif kind == "situation":
            record["materials"] = []
        elif kind == "question":
            record["options"] = []
        index[key] = record
        return record
    for field, value in values.items():
        if existing.get(field) != value:
            document["_problems"].append(
                (
                    line,
                    f"{kind}_{field}",
                    _("differs from line %(line)s of the same %(kind)s") % {"line": existing["_row"], "kind": kind},
                )
            )
            return None
    return existing
