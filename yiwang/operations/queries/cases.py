"""Case lists for dispatchers and handlers: filtered, sorted by deadline, counted and paged.

Every filter maps onto a composite index on the denormalised columns of ``Case`` (status, due_at and one
of category, subdistrict, grid, district, department, team, overdue), so a page stays fast over a
million cases; level-4 units (residential areas, parks) go through the ``CaseArea`` index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Lookup, Q, QuerySet

from yiwang.core.roles import Role
from yiwang.core.scope import acting_assignments, department_units, grid_codes, is_active_user, subdistrict_codes

from ..models import Case, CaseArea, Category
from ..models.cases import OPEN_STATUSES
from ..workflow import OPEN_STATES

MAX_PAGE_SIZE = 200
_CONSTANT = re.compile(r"^[a-z_]+$")


class InLiterals(Lookup):
    """``status__in_literals=(…)``: ``IN ('a', 'b')`` with the constants written into the SQL.

    The partial indexes of open cases (``case_open_*``) are usable by SQLite only when the query repeats
    their condition literally; a bound-parameter ``IN (?, ?)`` is not matched. Constants only.
    """

    lookup_name = "in_literals"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if not all(isinstance(v, str) and _CONSTANT.match(v) for v in self.rhs):
            raise ValueError("in_literals takes lower-case constants only")
        return f"{lhs} IN ({', '.join(repr(v) for v in self.rhs)})", params


Case._meta.get_field("status").register_lookup(InLiterals)
OPEN_FILTER = Q(status__in_literals=OPEN_STATUSES)
LEVEL_COLUMNS = {1: "district_code", 2: "subdistrict_code", 3: "grid_code"}
SORTS = {
    "due": (F("due_at").asc(nulls_last=True), "id"),
    "-due": (F("due_at").desc(nulls_last=True), "-id"),
    "new": ("-created_at", "-id"),
    "old": ("created_at", "id"),
    "priority": ("priority", F("due_at").asc(nulls_last=True), "id"),
}


@dataclass(frozen=True)
class CasePage:
    items: list[Case]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def unit_level(code: str) -> int | None:
    """The level (1–4) of a territory unit code, from the territory's units (None if unknown)."""
    from yiwang.territory.models import Unit

    return Unit.objects.filter(code=code).order_by("-id").values_list("level", flat=True).first()


def in_unit(qs: QuerySet, code: str) -> QuerySet:
    """Cases lying in the unit ``code`` of any level."""
    column = LEVEL_COLUMNS.get(unit_level(code) or 0)
    if column:
        return qs.filter(**{column: code})
    return qs.filter(pk__in=CaseArea.objects.filter(unit_code=code).values("case_id"))


def visible_to(user) -> Q | None:
    """Which cases a staff member's lists show (None: all). Residents see their own."""
    if not is_active_user(user):
        return Q(pk__in=[])
    roles = {a.role for a in acting_assignments(user)}
    if roles & {Role.OPERATIONS_CENTRE, Role.LEADER, Role.HOTLINE_OPERATOR}:
        return None
    q = Q(reporter=user)
    subs = subdistrict_codes(user, Role.DISPATCHER) | subdistrict_codes(user, Role.GRID_WORKER)
    if subs:
        q |= Q(subdistrict_code__in=sorted(subs))
    grids = grid_codes(user, Role.GRID_WORKER)
    if grids:
        q |= Q(grid_code__in=sorted(grids))
    units = department_units(user, Role.DEPARTMENT_HANDLER)
    if units:
        q |= Q(department__in=units)
    teams = [a.org_unit for a in acting_assignments(user) if a.org_unit is not None and a.role == Role.GRID_WORKER]
    if teams:
        q |= Q(team__in=teams)
    return q


def _as_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str | int) or hasattr(value, "pk"):
        return [value]
    return list(value)


def filter_cases(
    *,
    viewer=None,
    status=None,
    open_only: bool = False,
    category=None,
    unit: str | None = None,
    overdue: bool | None = None,
    department=None,
    team=None,
    channel=None,
    priority=None,
    code: str | None = None,
) -> QuerySet:
    """The case queryset for the given filters (each optional; lists mean "any of")."""
    qs = Case.objects.all()
    if viewer is not None:
        scope = visible_to(viewer)
        if scope is not None:
            qs = qs.filter(scope)
    statuses = _as_list(status)
    if statuses:
        qs = qs.filter(status__in=statuses) if len(statuses) > 1 else qs.filter(status=statuses[0])
        if set(statuses) <= OPEN_STATES:
            qs = qs.filter(OPEN_FILTER)  # implied; lets SQLite use the partial indexes of open cases
    elif open_only:
        qs = qs.filter(OPEN_FILTER)
    categories = _as_list(category)
    if categories:
        ids = [c.pk if hasattr(c, "pk") else int(c) for c in categories]
        children = list(Category.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
        qs = qs.filter(category_id__in=sorted(set(ids + children)))
    if unit:
        qs = in_unit(qs, unit)
    if overdue is not None:
        # ``IN (1)`` rather than Django's bare ``overdue`` for True: an equality SQLite can seek an index on
        qs = qs.filter(overdue__in=[bool(overdue)])
    if department is not None:
        qs = qs.filter(department=department)
    if team is not None:
        qs = qs.filter(team=team)
    channels = _as_list(channel)
    if channels:
        qs = qs.filter(channel__in=channels)
    priorities = _as_list(priority)
    if priorities:
        qs = qs.filter(priority__in=priorities)
    if code:
        qs = qs.filter(code=code.strip().upper())
    return qs


def case_list(*, page: int = 1, page_size: int = 50, sort: str = "due", **filters) -> CasePage:
    """One page of the dispatcher's list, with the total count. Filters: see :func:`filter_cases`.

    Three queries: the count, the ids of the page (an index-only walk even deep into the list, page 500
    included), and the rows of those ids with their category, department and team.
    """
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, int(page))
    qs = filter_cases(**filters)
    total = qs.count()
    order = SORTS.get(sort, SORTS["due"])
    offset = (page - 1) * page_size
    items: list[Case] = []
    if offset < total:
        ids = list(qs.order_by(*order).values_list("id", flat=True)[offset : offset + page_size])
        rows = Case.objects.select_related("category", "department", "team").in_bulk(ids)
        items = [rows[i] for i in ids if i in rows]
    return CasePage(items=items, total=total, page=page, page_size=page_size)


def refresh_statistics() -> str:
    """Refresh the planner's statistics of the case tables (after bulk writes; daily by the worker).

    SQLite without statistics guesses that the status index is cheaper than the partial indexes of open
    cases and sorts; with them it walks ``case_open_*``. PostgreSQL's autovacuum analyses by itself, but
    not right after a bulk load.
    """
    from django.db import connection

    tables = [m._meta.db_table for m in (Case, CaseArea)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return f"analysed {', '.join(tables)}"


def case_by_code(code: str) -> Case | None:
    return (
        Case.objects.select_related("category", "department", "team").filter(code=(code or "").strip().upper()).first()
    )


def cases_of_reporter(user, *, limit: int = 50) -> list[Case]:
    """A resident's own reports, newest first (for "my reports")."""
    return list(Case.objects.filter(reporter=user).select_related("category").order_by("-created_at", "-id")[:limit])


def ids(cases: Iterable[Case]) -> list[int]:
    return [c.pk for c in cases]
