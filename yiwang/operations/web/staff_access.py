"""Who may open the staff pages of the operations context, and where each role starts.

The pages never decide what a person may *do* with a case — the transition table and the scope checks
of ``yiwang.operations.permissions`` do (through ``queries.allowed_actions_for``). What they decide
here is only which pages to show and which cases a person may *see* (``queries.visible_to``).
"""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.utils.translation import gettext_lazy as _

from yiwang.core.roles import Role
from yiwang.core.scope import acting_assignments, is_active_user

from ..models import Case
from ..queries import filter_cases

STAFF_ROLES = frozenset(
    {
        Role.DISPATCHER,
        Role.OPERATIONS_CENTRE,
        Role.DEPARTMENT_HANDLER,
        Role.GRID_WORKER,
        Role.LEADER,
        Role.HOTLINE_OPERATOR,
    }
)
QUEUE_ROLES = frozenset({Role.DISPATCHER, Role.OPERATIONS_CENTRE, Role.LEADER, Role.HOTLINE_OPERATOR})
DISPATCH_ROLES = frozenset({Role.DISPATCHER, Role.OPERATIONS_CENTRE})
STATS_ROLES = frozenset({Role.DISPATCHER, Role.OPERATIONS_CENTRE, Role.LEADER, Role.DEPARTMENT_HANDLER})


def roles_of(user) -> set[str]:
    if not is_active_user(user):
        return set()
    return {a.role for a in acting_assignments(user)}


def is_staff_member(user) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


def staff_page(roles=STAFF_ROLES):
    """Decorator: log in first; then refuse (403) people who hold none of ``roles``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles_of(request.user) & set(roles):
                raise HttpForbidden(_("This page is for the staff of city operations."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def home_url_name(user) -> str:
    """The page a staff member starts on: the queue, the department inbox or the verification list."""
    roles = roles_of(user)
    if roles & QUEUE_ROLES:
        return "ops-staff:queue"
    if Role.DEPARTMENT_HANDLER in roles:
        return "ops-staff:inbox"
    if Role.GRID_WORKER in roles:
        return "ops-staff:verify-list"
    return "home"


def visible_case(user, code: str) -> Case | None:
    """The case with ``code`` if ``user``'s lists would show it (None otherwise: 404, never a hint)."""
    return (
        filter_cases(viewer=user, code=code)
        .select_related("category", "category__parent", "department", "team", "parent", "merged_into")
        .first()
    )


def nav_links(user) -> list[tuple[str, str]]:
    """(url name, label) of the staff pages this person may open, for the top bar."""
    roles = roles_of(user)
    links = []
    if roles & QUEUE_ROLES:
        links += [("ops-staff:queue", _("Case queue")), ("ops-staff:map", _("Case map"))]
    if roles & {Role.DEPARTMENT_HANDLER, Role.GRID_WORKER}:
        links.append(("ops-staff:inbox", _("My cases")))
    if roles & {Role.GRID_WORKER, Role.DISPATCHER, Role.OPERATIONS_CENTRE}:
        links.append(("ops-staff:verify-list", _("To verify")))
    if roles & STATS_ROLES:
        links.append(("ops-staff:stats", _("Statistics")))
    # the flood scene (yiwang.sensing.flood): its viewers, and grid workers' inspection tasks
    if roles & {Role.OPERATIONS_CENTRE, Role.LEADER, Role.DISPATCHER}:
        links.append(("flood:scene", _("Flood prevention")))
    if Role.GRID_WORKER in roles:
        links.append(("flood:tasks", _("Inspections")))
    return links


def render_page(request, template: str, context: dict | None = None, *, status: int = 200):
    """``render`` with the staff links for the top bar."""
    from django.shortcuts import render

    context = dict(context or {})
    context["staff_links"] = nav_links(request.user)
    return render(request, template, context, status=status)
