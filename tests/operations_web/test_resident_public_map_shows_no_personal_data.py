"""The map of public reports: public categories only, recent, no description and no person."""

import json

import pytest
from django.test import Client

from tests.operations.conftest import actor, report
from yiwang.operations import actions as ops

from .conftest import IN_G2A, IN_R1


@pytest.mark.django_db
def test_only_public_reports_are_listed_without_personal_data(world, client):
    public = ops.report_case(
        actor(world.hotline),
        channel="hotline",
        discovery="passive",
        category=world.manhole,
        lon=IN_R1[0],
        lat=IN_R1[1],
        address="王五家门口",
        description="王五家门口 13800138001",
        reporter=ops.Reporter(name="王五", phone="13800138001"),
    )
    hidden = report(world, category=world.unlicensed, at=IN_G2A)
    data = client.get("/report/map.json").json()
    codes = [c["code"] for c in data["cases"]]
    assert codes == [public.code] and hidden.code not in codes
    item = data["cases"][0]
    assert set(item) == {"code", "category", "status", "status_words", "done", "reported", "lon", "lat"}
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("王五", "13800138001", "138****8001"):
        assert secret not in text
    assert item["category"] == "井盖" and abs(item["lon"] - IN_R1[0]) < 1e-4


@pytest.mark.django_db
def test_rejected_and_merged_reports_leave_the_map(world, client):
    first = report(world, category=world.manhole, at=IN_R1)
    second = report(world, category=world.manhole, at=IN_R1)
    third = report(world, category=world.manhole, at=IN_G2A)
    ops.accept(actor(world.dispatcher), first)
    ops.merge_into(actor(world.dispatcher), second, first)
    ops.reject(actor(world.dispatcher_s2), third, reason="不属实")
    codes = {c["code"] for c in client.get("/report/map.json").json()["cases"]}
    assert codes == {first.code}


@pytest.mark.django_db
def test_the_map_page_renders_for_anyone(world):
    html = Client().get("/report/map/").content.decode()
    assert 'id="public-map"' in html and "/report/map.json" in html
