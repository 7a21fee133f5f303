"""Read paths of the operations context: lists, counts, the case timeline, categories, duplicates, routing."""

from ..duplicates import Candidate, duplicate_candidates
from ..permissions import reporter_contact
from ..routes import RouteExplanation, explain_route
from .cases import CasePage, case_by_code, case_list, cases_of_reporter, filter_cases, in_unit, visible_to
from .categories import category_tree, search_categories
from .stats import counts_by, counts_by_two
from .timeline import Entry, timeline
from .work import allowed_actions_for

__all__ = [
    "Candidate",
    "CasePage",
    "Entry",
    "RouteExplanation",
    "allowed_actions_for",
    "case_by_code",
    "case_list",
    "cases_of_reporter",
    "category_tree",
    "counts_by",
    "counts_by_two",
    "duplicate_candidates",
    "explain_route",
    "filter_cases",
    "in_unit",
    "reporter_contact",
    "search_categories",
    "timeline",
    "visible_to",
]
