"""Validating answers to a category's extra questions — pure Python.

A question is ``{code, datatype, required, description, values}`` with datatype one of string, number,
datetime, text, singlevaluelist, multivaluelist (Open311's attribute types). ``values`` is a list of
keys or ``{key, name}`` objects, or a mapping key → name.
"""

from __future__ import annotations

from datetime import datetime

STRING_MAX = 200
TEXT_MAX = 4000


class AnswerError(ValueError):
    def __init__(self, code: str, problem: str):
        super().__init__(f"{code}: {problem}")
        self.code = code
        self.problem = problem


def value_keys(question: dict) -> set[str]:
    values = question.get("values") or []
    if isinstance(values, dict):
        return {str(k) for k in values}
    keys = set()
    for v in values:
        keys.add(str(v.get("key")) if isinstance(v, dict) else str(v))
    return keys


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def clean_answer(question: dict, value):
    """The normalised value, or raise :class:`AnswerError` naming what is wrong."""
    code, datatype = question["code"], question["datatype"]
    if datatype == "string":
        value = str(value).strip()
        if len(value) > STRING_MAX:
            raise AnswerError(code, "too_long")
        return value
    if datatype == "text":
        value = str(value).strip()
        if len(value) > TEXT_MAX:
            raise AnswerError(code, "too_long")
        return value
    if datatype == "number":
        if isinstance(value, bool):
            raise AnswerError(code, "not_a_number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise AnswerError(code, "not_a_number")
        if number != number or number in (float("inf"), float("-inf")):
            raise AnswerError(code, "not_a_number")
        return int(number) if number.is_integer() else number
    if datatype == "datetime":
        if isinstance(value, datetime):
            return value.isoformat()
        try:
            return datetime.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise AnswerError(code, "not_a_datetime")
    if datatype == "singlevaluelist":
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise AnswerError(code, "one_value")
            value = value[0]
        if str(value) not in value_keys(question):
            raise AnswerError(code, "not_a_choice")
        return str(value)
    if datatype == "multivaluelist":
        items = list(value) if isinstance(value, list | tuple) else [value]
        keys = value_keys(question)
        cleaned = [str(v) for v in items]
        if any(v not in keys for v in cleaned):
            raise AnswerError(code, "not_a_choice")
        return sorted(set(cleaned), key=cleaned.index)
    raise AnswerError(code, "unknown_datatype")


def clean_answers(questions: list[dict], answers: dict) -> dict:
    """Every answer checked against its question; required ones present; unknown codes refused."""
    answers = dict(answers or {})
    known = {q["code"] for q in questions}
    for code in answers:
        if code not in known:
            raise AnswerError(str(code), "unknown_question")
    cleaned = {}
    for question in questions:
        code = question["code"]
        value = answers.get(code)
        if _empty(value):
            if question.get("required"):
                raise AnswerError(code, "required")
            continue
        cleaned[code] = clean_answer(question, value)
    return cleaned
