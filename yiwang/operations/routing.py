"""Routing: which department and handling team get a case — pure Python, no Django.

Rules are ordered; the first whose every condition holds wins. A condition left empty matches anything:

* category — the case's category or its parent is among the rule's categories;
* area — any of the case's unit codes (any level) is among the rule's area codes;
* time of day — the local time lies in [from, to) (a window may wrap midnight);
* priority — the case's priority is among the rule's priorities.

The winner gives a department (or the category's own) and a handling team (the subdistrict's grid centre,
the grid's team, an explicit team, or none). When no rule matches, the operations centre takes the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import time

RULE = "rule"
FALLBACK = "fallback"

TEAM_SUBDISTRICT_CENTRE = "subdistrict_centre"
TEAM_GRID = "grid_team"
TEAM_EXPLICIT = "explicit"
TEAM_NONE = "none"


@dataclass(frozen=True)
class Rule:
    id: int
    name: str = ""
    position: int = 0
    category_ids: frozenset[int] = frozenset()
    area_codes: frozenset[str] = frozenset()
    time_from: time | None = None
    time_to: time | None = None
    priorities: frozenset[int] = frozenset()
    department_id: int | None = None
    team_mode: str = TEAM_SUBDISTRICT_CENTRE
    team_id: int | None = None


@dataclass(frozen=True)
class Request:
    category_id: int
    category_parent_id: int | None
    unit_codes: frozenset[str]
    local_time: time
    priority: int
    category_department_ids: tuple[int, ...] = ()
    subdistrict_centre_id: int | None = None  # the org unit responsible for the subdistrict
    grid_team_id: int | None = None  # the org unit responsible for the grid


@dataclass(frozen=True)
class Verdict:
    rule: Rule
    matched: bool
    reason: str  # the first condition that failed, or "match"


@dataclass(frozen=True)
class Decision:
    department_id: int | None
    team_id: int | None
    routed_by: str  # RULE or FALLBACK
    rule: Rule | None = None
    verdicts: tuple[Verdict, ...] = field(default=())


def in_window(at: time, start: time | None, end: time | None) -> bool:
    """``at`` lies in [start, end); a window with start > end wraps midnight; no window is all day."""
    if start is None or end is None:
        return True
    if start == end:
        return True
    if start < end:
        return start <= at < end
    return at >= start or at < end


def judge(rule: Rule, req: Request) -> Verdict:
    """Whether ``rule`` matches, and if not, the first condition that failed."""
    if rule.category_ids and not (
        req.category_id in rule.category_ids or (req.category_parent_id or -1) in rule.category_ids
    ):
        return Verdict(rule, False, "category")
    if rule.area_codes and not (rule.area_codes & req.unit_codes):
        return Verdict(rule, False, "area")
    if not in_window(req.local_time, rule.time_from, rule.time_to):
        return Verdict(rule, False, "time")
    if rule.priorities and req.priority not in rule.priorities:
        return Verdict(rule, False, "priority")
    return Verdict(rule, True, "match")


def ordered(rules: Iterable[Rule]) -> list[Rule]:
    return sorted(rules, key=lambda r: (r.position, r.id))


def explain(rules: Iterable[Rule], req: Request) -> list[Verdict]:
    """Every rule in order with its verdict, up to and including the first match."""
    verdicts = []
    for rule in ordered(rules):
        verdict = judge(rule, req)
        verdicts.append(verdict)
        if verdict.matched:
            break
    return verdicts


def first_match(rules: Iterable[Rule], req: Request) -> Rule | None:
    verdicts = explain(rules, req)
    return verdicts[-1].rule if verdicts and verdicts[-1].matched else None


def team_for(rule: Rule, req: Request) -> int | None:
    if rule.team_mode == TEAM_EXPLICIT:
        return rule.team_id
    if rule.team_mode == TEAM_GRID:
        return req.grid_team_id or req.subdistrict_centre_id
    if rule.team_mode == TEAM_SUBDISTRICT_CENTRE:
        return req.subdistrict_centre_id
    return None


def decide(rules: Sequence[Rule], req: Request, *, operations_centre_id: int | None) -> Decision:
    """Route a case: the first matching rule, else the operations centre."""
    verdicts = tuple(explain(rules, req))
    if verdicts and verdicts[-1].matched:
        rule = verdicts[-1].rule
        department = rule.department_id or (req.category_department_ids[0] if req.category_department_ids else None)
        team = team_for(rule, req)
        if department is None and team is None:
            department = operations_centre_id
        return Decision(department, team, RULE, rule, verdicts)
    return Decision(operations_centre_id, None, FALLBACK, None, verdicts)
