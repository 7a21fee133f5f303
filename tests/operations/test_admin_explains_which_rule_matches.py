"""The back office's routing tool: which rule matches this point and category, and why the others did not."""

import pytest
from django.urls import reverse

from tests.operations.conftest import IN_G1A
from yiwang.operations.models import RoutingRule, TeamMode

pytestmark = pytest.mark.django_db


def test_the_tool_shows_the_units_each_rules_verdict_and_the_result(world, client):
    skipped = RoutingRule.objects.create(name="Only S2", position=1, area_codes=["S2"], department=world.water)
    chosen = RoutingRule.objects.create(
        name="S1 to the grid team", position=2, area_codes=["S1"], team_mode=TeamMode.GRID_TEAM
    )
    world.ops.is_staff = True
    world.ops.save()
    client.force_login(world.ops)
    url = reverse("admin:operations_routingrule_explain")
    page = client.get(url, {"category": world.garbage.pk, "lon": IN_G1A[0], "lat": IN_G1A[1], "system": "wgs84"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "G1a" in html and "R1" in html
    assert skipped.name in html and chosen.name in html
    rules = [(r.pk, v.reason) for r, v, _ in page.context["verdicts"]]
    assert rules == [(skipped.pk, "area"), (chosen.pk, "match")]
    assert page.context["result"].team == world.team_g1a
    assert page.context["result"].department == world.urban


def test_the_tool_is_refused_to_staff_without_the_permission(world, client):
    world.handler.is_staff = True
    world.handler.save()
    client.force_login(world.handler)
    assert client.get(reverse("admin:operations_routingrule_explain")).status_code == 403
