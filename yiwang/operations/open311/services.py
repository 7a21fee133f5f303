"""Services and service definitions: the case categories as Open311 sees them.

A service is a category that cases are recorded against: an active second-level category, or an
active top-level one without active children. Its group is the parent category (or, for a top-level
one, its pillar 四柱). Its attributes are the category's extra questions.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from yiwang.operations.models import Category, DeadlineMode, Pillar

from .cache import cached

DATATYPE_HELP = {
    "string": _("Short text, up to 200 characters."),
    "text": _("Text, up to 4,000 characters."),
    "number": _("A number (a decimal point, no thousands separator)."),
    "datetime": _("A date and time in ISO 8601 with its zone, e.g. 2026-11-28T09:30:00+08:00."),
    "singlevaluelist": _("One key from the values."),
    "multivaluelist": _("One or more keys from the values (send attribute[CODE][] once per key)."),
}


class Open311Error(Exception):
    """A request the spec answers with an error list (400, 403 or 404)."""

    def __init__(self, status: int, *messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.status = status
        self.messages = list(messages)


def english() -> bool:
    return (get_language() or "").lower().startswith("en")


def category_name(category: Category) -> str:
    if english() and category.name_en:
        return category.name_en
    return category.name


def iso(value) -> str | None:
    """An aware datetime in the district's zone, ISO 8601 with its offset (``2026-11-28T09:30:00+08:00``)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def service_queryset():
    """Active categories without active children, whose parent (if any) is active too."""
    active_children = Category.objects.filter(parent=OuterRef("pk"), active=True)
    return (
        Category.objects.filter(active=True)
        .exclude(parent__active=False)
        .annotate(has_children=Exists(active_children))
        .filter(has_children=False)
        .select_related("parent")
    )


def services() -> list[Category]:
    return list(service_queryset().order_by("pillar", "parent__position", "position", "code"))


def service_by_code(code: str) -> Category | None:
    """The service ``code``, or None (cached a few seconds per process: this runs on every POST)."""
    code = (code or "").strip()
    if not code:
        return None
    return cached("service", code, lambda: _load_service(code))


def _load_service(code: str) -> Category | None:
    category = Category.objects.select_related("parent").filter(code=code, active=True).first()
    if category is None or (category.parent_id and not category.parent.active):
        return None
    if Category.objects.filter(parent_id=category.pk, active=True).exists():
        return None
    return category


def group(category: Category) -> str:
    if category.parent_id and category.parent:
        return category_name(category.parent)
    return str(Pillar(category.pillar).label)


def description(category: Category) -> str:
    if category.deadline_mode == DeadlineMode.CALENDAR:
        limit = _("handled within %(n)s hours") % {"n": category.handle_within_hours}
    else:
        limit = _("handled within %(n)s working days") % {"n": category.handle_within_days}
    return f"{group(category)} / {category_name(category)}: {limit}"


def keywords(category: Category) -> str:
    from yiwang.operations.catalog import query_tokens

    return ", ".join(dict.fromkeys(query_tokens(category.keywords)))


def service_dict(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category_name(category),
        "description": description(category),
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": keywords(category),
        "group": group(category),
    }


def _values(question: dict) -> list[dict]:
    values = question.get("values") or []
    if isinstance(values, dict):
        return [{"key": str(k), "name": str(v)} for k, v in values.items()]
    items = []
    for v in values:
        if isinstance(v, dict):
            items.append({"key": str(v.get("key")), "name": str(v.get("name", v.get("key")))})
        else:
            items.append({"key": str(v), "name": str(v)})
    return items


def attribute_dict(question: dict, order: int) -> dict:
    datatype = question["datatype"]
    item = {
        "variable": bool(question.get("variable", True)),
        "code": question["code"],
        "datatype": datatype,
        "required": bool(question.get("required", False)),
        "datatype_description": str(question.get("datatype_description") or DATATYPE_HELP.get(datatype, "")),
        "order": int(question.get("order", order)),
        "description": str(question.get("description") or question["code"]),
    }
    if datatype.endswith("valuelist"):
        item["values"] = _values(question)
    return item


def definition_dict(category: Category) -> dict:
    questions = category.questions or []
    return {
        "service_code": category.code,
        "attributes": [attribute_dict(q, i + 1) for i, q in enumerate(questions)],
    }
