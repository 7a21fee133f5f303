"""Guidance (办事指引): a short questionnaire leads an applicant to exactly one situation.

Each option of a question keeps only its situations. Answers are applied first (order does not
matter); the next question is the first unanswered one, in position order, that still splits the
remaining situations. ``narrow`` is pure (plain codes); ``guide`` reads an item from the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    options: Mapping[str, frozenset[str]]  # option code -> situation codes it keeps (in display order)


@dataclass(frozen=True)
class Step:
    situation: str | None  # the one situation left, or None
    question: str | None  # the next question to ask, or None
    options: tuple[str, ...] = ()  # the options of that question that keep at least one situation
    remaining: tuple[str, ...] = field(default=())  # the situations still possible


def narrow(situations: Sequence[str], questions: Sequence[QuestionSpec], answers: Mapping[str, str]) -> Step:
    """Apply ``answers`` ({question code: option code}; unknown codes are ignored) and say what comes next."""
    left = list(situations)
    for q in questions:
        chosen = answers.get(q.code)
        if chosen in q.options:
            kept = q.options[chosen]
            left = [s for s in left if s in kept]
    if len(left) == 1:
        return Step(left[0], None, remaining=tuple(left))
    if not left:
        return Step(None, None)
    for q in questions:
        if answers.get(q.code) in q.options:
            continue
        offered = tuple(code for code, kept in q.options.items() if any(s in kept for s in left))
        if any(not set(left) <= q.options[code] for code in offered) and offered:
            return Step(None, q.code, offered, tuple(left))
    return Step(None, None, remaining=tuple(left))  # nothing left to ask: the guidance is incomplete


def dead_ends(situations: Sequence[str], questions: Sequence[QuestionSpec]) -> list[tuple[dict, tuple[str, ...]]]:
    """Every answer path that does not end in exactly one situation, with the situations left there.

    Also reports situations no path reaches (as a path ``{}`` with those situations). Empty: complete.
    """
    problems: list[tuple[dict, tuple[str, ...]]] = []
    reached: set[str] = set()

    def walk(answers: dict, depth: int) -> None:
        step = narrow(situations, questions, answers)
        if step.situation is not None:
            reached.add(step.situation)
            return
        if step.question is None or depth > len(questions):
            problems.append((dict(answers), step.remaining))
            return
        for option in step.options:
            walk({**answers, step.question: option}, depth + 1)

    walk({}, 0)
    unreached = tuple(s for s in situations if s not in reached)
    if unreached and not problems:
        problems.append(({}, unreached))
    return problems


def question_specs(item) -> list[QuestionSpec]:
    """The item's questions as plain data (prefetch ``questions__options__situations`` for many items)."""
    specs = []
    for q in item.questions.all():
        options = {o.code: frozenset(s.code for s in o.situations.all()) for o in q.options.all()}
        specs.append(QuestionSpec(q.code, options))
    return specs


class Guidance:
    """What ``guide`` answers; unpacks as ``situation, question``."""

    def __init__(self, situation, question, options, remaining):
        self.situation = situation
        self.question = question
        self.options = options  # Option rows of ``question`` that still lead somewhere
        self.remaining = remaining  # Situation rows still possible

    def __iter__(self):
        return iter((self.situation, self.question))


def guide(item, answers: Mapping[str, str]) -> Guidance:
    """``guide(item, answers) -> (situation | None, next_question | None)`` with Situation and Question rows.

    ``answers`` maps question codes to option codes. Both None: the answers contradict each other, or
    the item's guidance is incomplete (the import refuses such guidance).
    """
    situations = {s.code: s for s in item.situations.all()}
    questions = {q.code: q for q in item.questions.all()}
    step = narrow(list(situations), question_specs(item), answers)
    question = questions.get(step.question) if step.question else None
    options = []
    if question is not None:
        options = [o for o in question.options.all() if o.code in step.options]
    return Guidance(
        situations.get(step.situation) if step.situation else None,
        question,
        options,
        [situations[c] for c in step.remaining],
    )
