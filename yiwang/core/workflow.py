"""The transition-table engine shared by every lifecycle (case, application, rectification, …).

A context writes its lifecycle as rows — ``(action, from states, to state, roles)``, read top to
bottom as the life of the thing — and builds a :class:`TransitionTable` from them::

    TABLE = TransitionTable(
        [
            (A.SUBMIT, (S.DRAFT,), S.SUBMITTED, APPLICANT_SIDE),
            (A.CONSULT, (S.SUBMITTED, S.ACCEPTED), SAME, FRONT_DESK),
        ],
        wording=Wording(unknown=..., illegal=..., forbidden=..., state_label=..., role_label=...),
    )
    TABLE.check(state, action, roles)  # the new state, or ActionError / PermissionDenied

``check`` is the one enforcement point: the table decides whether the step exists from this state
and for these roles; the caller's own permission module then narrows it to a scope (which
subdistrict, which department). A target of :data:`SAME` keeps the state (supervise, consult); any
other marker (say ``"=previous"``) is the context's to resolve, from the :class:`Transition` that
:meth:`TransitionTable.transition_for` returns.

Plain Python: Django (for the refusal errors) is imported only when a step is refused, so a pure
lifecycle module can build its table without Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

SAME = "=same"  # the action keeps the state


@dataclass(frozen=True)
class Transition:
    """One step: ``action`` from ``source`` to ``target`` (a state or a marker), for ``roles``."""

    action: str
    source: str
    target: str
    roles: frozenset[str]

    # the same fields under the names a reader of a single step may expect
    @property
    def state(self) -> str:
        return self.source

    @property
    def new_state(self) -> str:
        return self.source if self.target == SAME else self.target


def _plain(value: str) -> str:
    return value


@dataclass(frozen=True)
class Wording:
    """How one lifecycle words its refusals (translatable templates) and names states, roles, actions.

    ``unknown`` takes ``%(action)s``; ``illegal`` takes ``%(action)s``, ``%(state)s`` and ``%(allowed)s``
    (the states where the action is possible); ``forbidden`` takes ``%(roles)s`` and ``%(action)s``.
    """

    unknown: str
    illegal: str
    forbidden: str
    action_label: Callable[[str], str] = _plain
    state_label: Callable[[str], str] = _plain
    role_label: Callable[[str], str] = _plain


Row = tuple[str, Iterable[str], str, Iterable[str]]


class TransitionTable:
    """(state, action) → :class:`Transition`, built from rows; answers "may I?" and "where to?"."""

    def __init__(
        self,
        rows: Iterable[Row],
        *,
        wording: Wording | None = None,
        transition_class: type[Transition] = Transition,
    ):
        self.transitions: dict[tuple[str, str], Transition] = {}
        for action, sources, target, roles in rows:
            for source in sources:
                if (source, action) in self.transitions:
                    raise ValueError(f"the table has {action!r} from {source!r} twice")
                self.transitions[(source, action)] = transition_class(action, source, target, frozenset(roles))
        self.actions: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in self.transitions.values()))
        self.wording = wording

    def __iter__(self):
        return iter(self.transitions.values())

    def transition(self, state: str, action: str) -> Transition | None:
        """The step of ``action`` from ``state``, or None when the lifecycle has none."""
        return self.transitions.get((state, action))

    def sources_of(self, action: str) -> list[str]:
        """The states from which ``action`` is possible, in table order."""
        return [source for (source, act) in self.transitions if act == action]

    def allowed_actions(self, state: str, roles: Iterable[str] | None = None) -> list[str]:
        """The actions from ``state`` (for someone holding any of ``roles``, when given), in table order."""
        held = None if roles is None else set(roles)
        return [
            t.action
            for (source, _action), t in self.transitions.items()
            if source == state and (held is None or t.roles & held)
        ]

    def transition_for(self, state: str, action: str, roles: Iterable[str]) -> Transition:
        """The step if ``action`` is allowed from ``state`` for someone with ``roles``; else raise.

        :class:`~yiwang.core.actions.ActionError` with code ``unknown_action`` when no row has the
        action, ``illegal_transition`` when it is not possible from ``state``;
        :class:`~yiwang.core.actions.PermissionDenied` when it is, but not for these roles.
        """
        found = self.transitions.get((state, action))
        if found is None:
            raise self._not_possible(state, action)
        if not found.roles & set(roles):
            raise self._forbidden(found)
        return found

    def check(self, state: str, action: str, roles: Iterable[str]) -> str:
        """The new state (``SAME`` resolved; other markers returned as they are) or raise as above."""
        found = self.transition_for(state, action, roles)
        return state if found.target == SAME else found.target

    # --- refusals ----------------------------------------------------------------------------------

    def _words(self) -> Wording:
        if self.wording is None:
            raise RuntimeError("this transition table has no wording for refusals")
        return self.wording

    def _not_possible(self, state: str, action: str):
        from yiwang.core.actions import ActionError

        words = self._words()
        label = words.action_label(action)
        allowed = self.sources_of(action)
        if not allowed:
            return ActionError(words.unknown % {"action": action}, code="unknown_action")
        return ActionError(
            words.illegal
            % {
                "action": label,
                "state": words.state_label(state),
                "allowed": ", ".join(words.state_label(s) for s in allowed),
            },
            code="illegal_transition",
        )

    def _forbidden(self, found: Transition):
        from yiwang.core.actions import PermissionDenied

        words = self._words()
        roles = ", ".join(sorted(words.role_label(r) for r in found.roles))
        return PermissionDenied(words.forbidden % {"roles": roles, "action": words.action_label(found.action)})


__all__ = ["SAME", "Transition", "TransitionTable", "Wording"]


def choice_labeller(choices) -> Callable[[str], str]:
    """``state_label`` for a lifecycle whose states are a ``TextChoices``: the label, or the raw value."""

    def label(value: str) -> str:
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    return label


def role_labeller(markers: dict[str, object]) -> Callable[[str], str]:
    """``role_label`` naming the platform's roles, plus the lifecycle's own markers (the system, the
    reporter, …) as ``{marker: translatable label}``; an unknown value is shown as it is."""

    def label(role: str) -> str:
        if role in markers:
            return str(markers[role])
        from yiwang.core.roles import Role

        try:
            return str(Role(role).label)
        except ValueError:
            return role

    return label
