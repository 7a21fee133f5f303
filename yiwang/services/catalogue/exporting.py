"""The catalogue as an interchange document (the same shape ``interchange`` reads and writes)."""

from __future__ import annotations

from django.db.models import Prefetch

from .interchange import FORMAT, VERSION
from .models import Item, LicenceType, Option, Situation


def licence_type_record(lt: LicenceType) -> dict:
    return {
        "code": lt.code,
        "name": lt.name,
        "name_en": lt.name_en,
        "issuing_department": lt.issuing_department.code if lt.issuing_department_id else "",
        "electronic": lt.electronic,
    }


def item_record(item: Item) -> dict:
    """One item with everything nested (prefetch as ``items_for_export`` does)."""
    situations = []
    for s in item.situations.all():
        materials = [
            {"name": m.name, "name_en": m.name_en, "required": m.required, "source": m.source,
             "licence_type": m.licence_type_id or ""}
            for m in s.materials.all()
        ]  # fmt: skip
        situations.append(
            {"code": s.code, "name": s.name, "name_en": s.name_en, "statutory_days": s.statutory_days,
             "promised_days": s.promised_days, "fee_fen": s.fee_fen, "online": s.online, "window": s.window,
             "kiosk": s.kiosk, "on_the_spot": s.on_the_spot, "max_visits": s.max_visits, "materials": materials}
        )  # fmt: skip
    order = {s.code: n for n, s in enumerate(item.situations.all())}
    questions = []
    for q in item.questions.all():
        options = [
            {"code": o.code, "label": o.label, "label_en": o.label_en,
             "situations": sorted((s.code for s in o.situations.all()), key=order.__getitem__)}
            for o in q.options.all()
        ]  # fmt: skip
        questions.append({"code": q.code, "text": q.text, "text_en": q.text_en, "options": options})
    return {
        "code": item.code, "name": item.name, "name_en": item.name_en, "type": item.type,
        "department": item.department.code, "for_persons": item.for_persons, "for_companies": item.for_companies,
        "description": item.description, "active": item.active, "situations": situations, "questions": questions,
    }  # fmt: skip


def items_for_export(queryset=None):
    qs = Item.objects.all() if queryset is None else queryset
    return (
        qs.select_related("department")
        .prefetch_related(
            Prefetch("situations", queryset=Situation.objects.order_by("position", "code")),
            "situations__materials",
            "questions",
            Prefetch("questions__options", queryset=Option.objects.order_by("position", "code")),
            Prefetch("questions__options__situations", queryset=Situation.objects.only("id", "code")),
        )
        .order_by("code")
    )


def export_document(queryset=None) -> dict:
    """The whole catalogue (or the items of ``queryset``) with every licence type."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "licence_types": [
            licence_type_record(lt) for lt in LicenceType.objects.select_related("issuing_department").order_by("code")
        ],
        "items": [item_record(item) for item in items_for_export(queryset)],
    }
