"""Public pages: the catalogue search (/services/) and the guidance page (/services/guide/<code>/)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import queries
from .guide import guide
from .models import ItemType, MaterialSource

PAGE_SIZE = 25
ANSWER_PREFIX = "q_"


def localized(zh: str, en: str) -> str:
    """The English text on English pages when there is one, the Chinese otherwise."""
    return en if en and (get_language() or "").startswith("en") else zh


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def catalogue_search(request):
    text = request.GET.get("q", "")[:100]
    department = request.GET.get("department", "")[:64]
    kind = request.GET.get("type", "")
    if kind not in ItemType.values:
        kind = ""
    page = Paginator(queries.search_items(text, department, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"code": i.code, "name": localized(i.name, i.name_en), "department": localized(i.department.name,
         i.department.name_en), "type": i.get_type_display(), "situations": i.situation_count}
        for i in page.object_list
    ]  # fmt: skip
    departments = [(code, localized(zh, en)) for code, zh, en in queries.departments_with_items()]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalogue/search.html", {
        "rows": rows, "page": page, "text": text, "department": department, "type": kind,
        "departments": departments, "types": ItemType.choices, "query": query.urlencode(),
    })  # fmt: skip


def _situation_view(situation) -> dict:
    materials = []
    for m in situation.materials.all():
        exempt = m.source == MaterialSource.LICENCE and m.licence_type is not None and m.licence_type.electronic
        materials.append({
            "name": localized(m.name, m.name_en), "required": m.required, "exempt": exempt,
            "issued": m.source == MaterialSource.LICENCE,
        })  # fmt: skip
    labels = {"online": _("Online"), "window": _("At a service window"), "kiosk": _("At a 24-hour kiosk")}
    return {
        "name": localized(situation.name, situation.name_en),
        "materials": materials,
        "to_submit": [m for m in materials if not m["exempt"]],
        "exempt": [m for m in materials if m["exempt"]],
        "statutory_days": situation.statutory_days,
        "promised_days": situation.promised_days,
        "fee": yuan(situation.fee_fen) if situation.fee_fen else "",
        "channels": [labels[c] for c in situation.channels],
        "on_the_spot": situation.on_the_spot,
        "max_visits": situation.max_visits,
        "no_material": situation.no_material_needed,
    }


def guide_page(request, code: str):
    item = queries.item_for_guide(code)
    if item is None:
        raise Http404(_("No service item has this code."))
    answers = {k[len(ANSWER_PREFIX) :]: v for k, v in request.GET.items() if k.startswith(ANSWER_PREFIX)}
    step = guide(item, answers)
    questions = {q.code: q for q in item.questions.all()}
    answered = []
    for qcode, ocode in answers.items():
        question = questions.get(qcode)
        option = next((o for o in question.options.all() if o.code == ocode), None) if question else None
        if option is not None:
            rest = {f"{ANSWER_PREFIX}{k}": v for k, v in answers.items() if k != qcode}
            answered.append({"question": localized(question.text, question.text_en),
                             "answer": localized(option.label, option.label_en), "change": rest})  # fmt: skip
    context = {
        "item": item,
        "item_name": localized(item.name, item.name_en),
        "department": localized(item.department.name, item.department.name_en),
        "answered": answered,
        "hidden": {f"{ANSWER_PREFIX}{k}": v for k, v in answers.items() if k in questions},
        "situation": _situation_view(step.situation) if step.situation else None,
        "many_situations": len(item.situations.all()) > 1,
        "question": None,
        "dead_end": step.situation is None and step.question is None,
    }
    if step.question is not None:
        context["question"] = {
            "code": step.question.code,
            "field": f"{ANSWER_PREFIX}{step.question.code}",
            "text": localized(step.question.text, step.question.text_en),
            "options": [(o.code, localized(o.label, o.label_en)) for o in step.options],
        }
    return render(request, "catalogue/guide.html", context)
