"""One questionnaire for a bundle: the union of its items' guidance questions, each asked once.

Items of different departments often ask the same thing ("由谁办理？", "经营场所？"): a question is
asked once for every item that has it — the same code and the same answers. Each item's situation is
then picked by its own guidance (:func:`yiwang.services.catalogue.guide.guide`) from those answers; an
item without questions keeps the bundle part's situation.

``merged_questions(items) -> [MergedQuestion]``; ``resolve(parts, data) -> Resolution``; ``data`` maps
field names (``MergedQuestion.field``) to option codes, e.g. ``request.GET``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.services.catalogue.guide import guide


@dataclass
class MergedQuestion:
    field: str
    code: str
    text: str
    options: list[tuple[str, str]]  # (option code, label) in the first item's order
    items: list = field(default_factory=list)  # the items that ask it


def _signature(question) -> tuple:
    return question.code, tuple(sorted(o.code for o in question.options.all()))


def merged_questions(items) -> list[MergedQuestion]:
    """The items' questions, each (code and answers alike) once, in the order first met."""
    merged: dict[tuple, MergedQuestion] = {}
    taken: set[str] = set()
    for item in items:
        if len(item.situations.all()) < 2:
            continue
        for question in item.questions.all():
            key = _signature(question)
            if key not in merged:
                name = f"q_{question.code}"
                n = 2
                while name in taken:  # the same code with other answers: a question of its own
                    name, n = f"q_{question.code}_{n}", n + 1
                taken.add(name)
                options = [(o.code, o.label) for o in question.options.all()]
                merged[key] = MergedQuestion(name, question.code, question.text, options)
            merged[key].items.append(item)
    return list(merged.values())


@dataclass
class Resolution:
    situations: list  # one per part: the situation its item's guidance picked (or the part's own)
    unanswered: list[MergedQuestion]  # questions still needed by some item
    contradictory: list  # items whose answers lead to no situation

    @property
    def complete(self) -> bool:
        return not self.unanswered and not self.contradictory


def resolve(part_situations, questions: list[MergedQuestion], data) -> Resolution:
    """Each part's situation from the answers in ``data``; what is still to be asked."""
    by_item: dict[int, dict[str, str]] = {}
    field_of: dict[tuple[int, str], MergedQuestion] = {}
    for question in questions:
        for item in question.items:
            field_of[(item.pk, question.code)] = question
            value = data.get(question.field, "")
            if value:
                by_item.setdefault(item.pk, {})[question.code] = value
    situations, unanswered, contradictory = [], [], []
    for default in part_situations:
        item = default.item
        if len(item.situations.all()) < 2 or not item.questions.all():
            situations.append(default)
            continue
        guidance = guide(item, by_item.get(item.pk, {}))
        if guidance.situation is not None:
            situations.append(guidance.situation)
        elif guidance.question is not None:
            situations.append(None)
            needed = field_of.get((item.pk, guidance.question.code))
            if needed is not None and needed not in unanswered:
                unanswered.append(needed)
        else:
            situations.append(None)
            contradictory.append(item)
    return Resolution(situations, unanswered, contradictory)
