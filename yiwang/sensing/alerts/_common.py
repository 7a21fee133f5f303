"""Shared primitives of the pure rule engine: levels, readings, verdicts, parameter checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

LEVELS = ("blue", "yellow", "orange", "red")
RANK = {name: i for i, name in enumerate(LEVELS)}
RAISE, UPDATE, CLEAR = "raise", "update", "clear"


class RuleError(ValueError):
    """Invalid rule parameters (message names the parameter)."""


@dataclass(frozen=True)
class Reading:
    ts: datetime
    value: float


@dataclass(frozen=True)
class Verdict:
    level: str | None = None
    value: float | None = None
    silent: bool = False

    @classmethod
    def no_data(cls) -> Verdict:
        return cls(silent=True)


@dataclass(frozen=True)
class Transition:
    device: str
    condition: str
    kind: str  # raise | update | clear
    level: str | None
    previous: str | None
    at: datetime
    value: float | None = None


@dataclass
class Result:
    transitions: list[Transition] = field(default_factory=list)
    silent: bool = False
    level: str | None = None


# --- parameter helpers -------------------------------------------------------------------------


def _num(params: dict, name: str, *, default=None, minimum: float | None = None, positive=False) -> float:
    value = params.get(name, default)
    if value is None:
        raise RuleError(f"missing parameter “{name}”")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"parameter “{name}” must be a number")
    if positive and value <= 0:
        raise RuleError(f"parameter “{name}” must be positive")
    if minimum is not None and value < minimum:
        raise RuleError(f"parameter “{name}” must be at least {minimum}")
    return float(value)


def _level(params: dict, default="yellow") -> str:
    level = params.get("level", default)
    if level not in RANK:
        raise RuleError(f"parameter “level” must be one of {', '.join(LEVELS)}")
    return level


def _coverage(params: dict) -> float:
    value = _num(params, "min_coverage", default=0.75, positive=True)
    if value > 1:
        raise RuleError("parameter “min_coverage” must be at most 1")
    return value
