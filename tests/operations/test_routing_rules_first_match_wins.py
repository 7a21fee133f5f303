"""Routing: ordered rules, first match wins, empty conditions match anything, fallback to the centre."""

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.operations.conftest import IN_G1A, IN_G2A, actor, advance, report
from yiwang.operations import routing
from yiwang.operations.models import CaseAssignment, RoutingRule, TeamMode
from yiwang.operations.queries import explain_route


def req(**kw):
    base = dict(
        category_id=10,
        category_parent_id=1,
        unit_codes=frozenset({"D1", "S1", "G1a", "R1"}),
        local_time=time(10, 0),
        priority=3,
        category_department_ids=(501,),
        subdistrict_centre_id=201,
        grid_team_id=301,
    )
    base.update(kw)
    return routing.Request(**base)


def test_parent_category_area_at_any_level_time_window_and_priority_all_have_to_hold():
    rule = routing.Rule(
        id=1,
        category_ids=frozenset({1}),
        area_codes=frozenset({"R1"}),
        time_from=time(8),
        time_to=time(18),
        priorities=frozenset({2, 3}),
    )
    assert routing.judge(rule, req()).matched
    assert routing.judge(rule, req(category_parent_id=2)).reason == "category"
    assert routing.judge(rule, req(unit_codes=frozenset({"D1", "S2"}))).reason == "area"
    assert routing.judge(rule, req(local_time=time(18, 0))).reason == "time"
    assert routing.judge(rule, req(priority=4)).reason == "priority"


def test_a_night_window_wraps_midnight():
    assert routing.in_window(time(23, 30), time(22), time(6))
    assert routing.in_window(time(5, 59), time(22), time(6))
    assert not routing.in_window(time(6, 0), time(22), time(6))
    assert not routing.in_window(time(12, 0), time(22), time(6))


def test_first_matching_rule_by_position_wins_and_team_mode_picks_the_team():
    general = routing.Rule(id=1, position=20, department_id=900)
    specific = routing.Rule(id=2, position=10, area_codes=frozenset({"G1a"}), team_mode=routing.TEAM_GRID)
    decision = routing.decide([general, specific], req(), operations_centre_id=7)
    assert decision.rule == specific
    assert (decision.department_id, decision.team_id, decision.routed_by) == (501, 301, routing.RULE)
    decision = routing.decide([general, specific], req(unit_codes=frozenset({"S2"})), operations_centre_id=7)
    assert decision.rule == general
    assert (decision.department_id, decision.team_id) == (900, 201)


def test_no_match_falls_back_to_the_operations_centre():
    rule = routing.Rule(id=1, category_ids=frozenset({99}))
    decision = routing.decide([rule], req(), operations_centre_id=7)
    assert (decision.department_id, decision.team_id, decision.routed_by) == (7, None, routing.FALLBACK)
    assert [v.reason for v in decision.verdicts] == ["category"]


rules_strategy = st.lists(
    st.builds(
        routing.Rule,
        id=st.integers(1, 10_000),
        position=st.integers(0, 5),
        category_ids=st.frozensets(st.integers(1, 12), max_size=3),
        area_codes=st.frozensets(st.sampled_from(["D1", "S1", "S2", "G1a", "G2a", "R1"]), max_size=2),
        priorities=st.frozensets(st.integers(1, 4), max_size=2),
        department_id=st.integers(1, 50),
    ),
    max_size=8,
    unique_by=lambda r: r.id,
)


@given(
    rules=rules_strategy,
    category=st.integers(1, 12),
    units=st.frozensets(st.sampled_from(["D1", "S1", "S2", "G1a", "G2a", "R1"])),
    priority=st.integers(1, 4),
)
def test_the_decision_is_the_first_rule_in_order_that_matches_every_condition(rules, category, units, priority):
    request = req(category_id=category, category_parent_id=None, unit_codes=units, priority=priority)
    decision = routing.decide(rules, request, operations_centre_id=7)
    matching = [
        r
        for r in sorted(rules, key=lambda r: (r.position, r.id))
        if (not r.category_ids or category in r.category_ids)
        and (not r.area_codes or r.area_codes & units)
        and (not r.priorities or priority in r.priorities)
    ]
    if matching:
        assert decision.rule == matching[0]
        assert decision.department_id == matching[0].department_id
    else:
        assert decision.rule is None and decision.department_id == 7


@pytest.mark.django_db
def test_dispatch_without_a_choice_follows_the_rules_and_records_which(world):
    rule = RoutingRule.objects.create(name="S1 garbage to the grid team", position=1, team_mode=TeamMode.GRID_TEAM)
    rule.categories.add(world.environment)  # the parent category matches its children
    rule.area_codes = ["S1"]
    rule.save()
    case = advance(world, report(world, at=IN_G1A), "registered")
    from yiwang.operations import actions as ops

    case = ops.dispatch(actor(world.dispatcher), case)
    assert (case.department, case.team) == (world.urban, world.team_g1a)
    row = CaseAssignment.objects.get(case=case)
    assert (row.routed_by, row.rule_id) == ("rule", rule.pk)

    elsewhere = advance(world, report(world, at=IN_G2A), "registered")
    elsewhere = ops.dispatch(actor(world.dispatcher_s2), elsewhere)
    assert elsewhere.department == world.centre
    assert CaseAssignment.objects.get(case=elsewhere).routed_by == "fallback"


@pytest.mark.django_db
def test_explain_route_names_the_rule_and_why_earlier_ones_did_not_match(world):
    night = RoutingRule.objects.create(
        name="Night duty", position=1, time_from=time(22), time_to=time(6), department=world.water
    )
    day = RoutingRule.objects.create(name="Markets", position=2, department=world.market, team_mode=TeamMode.NONE)
    day.categories.add(world.shops)
    from django.utils import timezone

    noon = timezone.localtime().replace(hour=12, minute=0)
    result = explain_route(world.unlicensed, *IN_G1A, noon, 3)
    assert [(v.rule.id, v.matched, v.reason) for v in result.decision.verdicts] == [
        (night.pk, False, "time"),
        (day.pk, True, "match"),
    ]
    assert result.department == world.market and result.team is None
    assert [u.code for u in result.placement.chain] == ["D1", "S1", "G1a"]
