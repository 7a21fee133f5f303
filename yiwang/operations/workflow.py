"""The lifecycle of a case as data: (state, action) → new state, with the roles allowed.

One place to read the whole loop (上报 → 受理 → 立案 → 派遣 → 处置 → 核查 → 结案 → 评价) and its side
roads (不予立案, 退单, 延期, 挂起, 督办, 重启, 合并, 拆分). :func:`check` is the only enforcement point;
the actions call it under the row lock, then apply their own scope checks (which subdistrict, which
department) from ``yiwang.operations.permissions``.

Pseudo-roles besides ``yiwang.core.roles.Role``: ``system`` (the worker, sensors, other contexts acting
with ``Actor.system()``) and ``reporter`` (the person who reported this very case).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core.roles import Role
from yiwang.core.workflow import SAME, Transition, TransitionTable, Wording, choice_labeller, role_labeller

from .models.cases import CaseStatus as S

SYSTEM = "system"
REPORTER = "reporter"
PREVIOUS = "=previous"  # back to the state before suspension (resume)


class A:
    """Action names (also the ``action`` column of the status history)."""

    ACCEPT = "accept"
    REJECT = "reject"
    REGISTER = "register"
    DISPATCH = "dispatch"
    START_HANDLING = "start_handling"
    RETURN = "return"
    REQUEST_EXTENSION = "request_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"
    SUSPEND = "suspend"
    RESUME = "resume"
    MARK_HANDLED = "mark_handled"
    VERIFY_PASS = "verify_pass"
    VERIFY_FAIL = "verify_fail"
    CLOSE = "close"
    EVALUATE = "evaluate"
    REOPEN = "reopen"
    SUPERVISE = "supervise"
    ESCALATE = "escalate"
    MERGE = "merge"
    SPLIT = "split"
    CLOSE_PARENT = "close_parent"


ACTION_LABELS = {
    A.ACCEPT: _("accept 受理"),
    A.REJECT: _("reject 不予立案"),
    A.REGISTER: _("register 立案"),
    A.DISPATCH: _("dispatch 派遣"),
    A.START_HANDLING: _("start handling 开始处置"),
    A.RETURN: _("return 退单"),
    A.REQUEST_EXTENSION: _("request an extension 申请延期"),
    A.GRANT_EXTENSION: _("grant an extension 批准延期"),
    A.REFUSE_EXTENSION: _("refuse an extension 驳回延期"),
    A.SUSPEND: _("suspend 挂起"),
    A.RESUME: _("resume 恢复"),
    A.MARK_HANDLED: _("mark as handled 处置完毕"),
    A.VERIFY_PASS: _("pass verification 核查通过"),
    A.VERIFY_FAIL: _("fail verification 核查不通过"),
    A.CLOSE: _("close 结案"),
    A.EVALUATE: _("evaluate 评价"),
    A.REOPEN: _("reopen 重启"),
    A.SUPERVISE: _("supervise 督办"),
    A.ESCALATE: _("escalate 升级督办"),
    A.MERGE: _("merge 合并"),
    A.SPLIT: _("split 拆分"),
    A.CLOSE_PARENT: _("close the parent case 主案结案"),
}

INTAKE = frozenset({Role.HOTLINE_OPERATOR, Role.DISPATCHER, Role.OPERATIONS_CENTRE})
DISPATCHERS = frozenset({Role.DISPATCHER, Role.OPERATIONS_CENTRE})
HANDLERS = frozenset({Role.DEPARTMENT_HANDLER, Role.GRID_WORKER})
VERIFIERS = frozenset({Role.GRID_WORKER, Role.DISPATCHER, Role.OPERATIONS_CENTRE})
SUPERVISORS = frozenset({Role.DISPATCHER, Role.OPERATIONS_CENTRE, Role.LEADER, SYSTEM})
REPORTER_SIDE = frozenset({REPORTER, Role.HOTLINE_OPERATOR, Role.OPERATIONS_CENTRE, SYSTEM})
EVALUATORS = frozenset({REPORTER, Role.HOTLINE_OPERATOR, SYSTEM})
ONLY_SYSTEM = frozenset({SYSTEM})

SUPERVISABLE = (
    S.REGISTERED,
    S.DISPATCHED,
    S.RETURNED,
    S.HANDLING,
    S.EXTENSION_REQUESTED,
    S.SUSPENDED,
    S.HANDLED,
)

# (action, from states, to state, roles) — read top to bottom as the life of a case
_TABLE: list[tuple[str, tuple[str, ...], str, frozenset[str]]] = [
    (A.ACCEPT, (S.REPORTED,), S.ACCEPTED, INTAKE),
    (A.REJECT, (S.REPORTED, S.ACCEPTED), S.REJECTED, INTAKE),
    (A.REGISTER, (S.ACCEPTED,), S.REGISTERED, DISPATCHERS),
    (A.DISPATCH, (S.REGISTERED, S.RETURNED, S.DISPATCHED), S.DISPATCHED, DISPATCHERS),
    (A.START_HANDLING, (S.DISPATCHED,), S.HANDLING, HANDLERS),
    (A.RETURN, (S.DISPATCHED, S.HANDLING), S.RETURNED, HANDLERS),
    (A.REQUEST_EXTENSION, (S.HANDLING,), S.EXTENSION_REQUESTED, HANDLERS),
    (A.GRANT_EXTENSION, (S.EXTENSION_REQUESTED,), S.HANDLING, DISPATCHERS),
    (A.REFUSE_EXTENSION, (S.EXTENSION_REQUESTED,), S.HANDLING, DISPATCHERS),
    (A.SUSPEND, (S.REGISTERED, S.DISPATCHED, S.HANDLING), S.SUSPENDED, DISPATCHERS),
    (A.RESUME, (S.SUSPENDED,), PREVIOUS, DISPATCHERS),
    (A.MARK_HANDLED, (S.HANDLING,), S.HANDLED, HANDLERS),
    (A.VERIFY_PASS, (S.HANDLED,), S.VERIFIED, VERIFIERS),
    (A.VERIFY_FAIL, (S.HANDLED,), S.HANDLING, VERIFIERS),
    (A.CLOSE, (S.VERIFIED,), S.CLOSED, DISPATCHERS),
    (A.EVALUATE, (S.CLOSED,), S.EVALUATED, EVALUATORS),
    (A.REOPEN, (S.CLOSED, S.EVALUATED), S.DISPATCHED, REPORTER_SIDE),
    (A.SUPERVISE, SUPERVISABLE, SAME, SUPERVISORS),
    (A.ESCALATE, SUPERVISABLE, SAME, ONLY_SYSTEM),
    (A.MERGE, (S.REPORTED, S.ACCEPTED, S.REGISTERED, S.RETURNED, S.DISPATCHED), S.MERGED, DISPATCHERS),
    (A.SPLIT, (S.REGISTERED, S.RETURNED), S.SPLIT, DISPATCHERS),
    (A.CLOSE_PARENT, (S.SPLIT,), S.CLOSED, ONLY_SYSTEM),
]


_state_label = choice_labeller(S)
role_label = role_labeller({SYSTEM: _("the system 系统"), REPORTER: _("the reporter 报告人")})


TABLE = TransitionTable(
    _TABLE,
    wording=Wording(
        unknown=_("Unknown case action “%(action)s”."),
        illegal=_("Cannot %(action)s a case that is %(state)s; it is possible only when the case is %(allowed)s."),
        forbidden=_("Only %(roles)s may %(action)s this case."),
        action_label=lambda action: ACTION_LABELS.get(action, action),
        state_label=_state_label,
        role_label=role_label,
    ),
)
TRANSITIONS: dict[tuple[str, str], Transition] = TABLE.transitions
ACTIONS: tuple[str, ...] = TABLE.actions
TERMINAL_STATES = frozenset({S.REJECTED, S.CLOSED, S.EVALUATED, S.MERGED})
OPEN_STATES = frozenset(s.value for s in S) - TERMINAL_STATES
# states in which the case waits on the dispatcher / on a handler (for work lists)
WAITING_FOR_DISPATCHER = frozenset(
    {S.REPORTED, S.ACCEPTED, S.REGISTERED, S.RETURNED, S.EXTENSION_REQUESTED, S.VERIFIED}
)
WAITING_FOR_HANDLER = frozenset({S.DISPATCHED, S.HANDLING})


def sources_of(action: str) -> list[str]:
    return TABLE.sources_of(action)


def allowed_actions(state: str, roles: set[str] | frozenset[str]) -> list[str]:
    """The actions someone with ``roles`` may take on a case in ``state`` (for the case page's buttons)."""
    return TABLE.allowed_actions(state, roles)


def check(state: str, action: str, roles: set[str] | frozenset[str], *, previous: str = "") -> str:
    """The new state if ``action`` is allowed from ``state`` for someone with ``roles``; else raise.

    Raises :class:`ActionError` (code ``illegal_transition``) when the table has no such transition,
    :class:`PermissionDenied` when it does but not for these roles.
    """
    transition = TABLE.transition_for(state, action, roles)
    if transition.target == PREVIOUS:
        return previous or S.HANDLING
    return state if transition.target == SAME else transition.target
