"""The hotline's type-ahead lists: categories by Chinese, pinyin initials or English; places by name; the
caller's earlier cases by number (never anonymous ones), masked for anyone without the hotline's purpose."""

import pytest
from django.test import Client

from tests.factories import login_as
from tests.operations.conftest import report
from yiwang.core.audit.models import AuditEvent
from yiwang.operations.actions import Reporter
from yiwang.operations.web.hotline import caller_cases

from .conftest import IN_G2A, IN_R1


@pytest.fixture
def operator(world):
    return login_as(Client(), world.hotline)


def names(operator, query):
    return [i["name"] for i in operator.get("/hotline/categories.json", {"q": query}).json()["items"]]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["jg", "JG", "井盖", "manhole", "jinggai", "窨井"])
def test_the_manhole_cover_category_comes_first(world, operator, query):
    assert names(operator, query)[0] == "井盖"


@pytest.mark.django_db
def test_pinyin_initials_rank_an_exact_match_above_a_longer_one(world, operator):
    assert names(operator, "jg") == ["井盖", "价格欺诈"]  # jg (exact) before jgqz (prefix)


@pytest.mark.django_db
def test_a_group_name_finds_its_categories_and_a_category_knows_its_questions(world, operator):
    items = operator.get("/hotline/categories.json", {"q": "市容"}).json()["items"]
    assert [(i["name"], i["label"], i["questions"]) for i in items] == [("暴露垃圾", "市容环境 / 暴露垃圾", 1)]


@pytest.mark.django_db
def test_places_are_found_by_the_name_an_address_contains(world, operator):
    data = operator.get("/hotline/places.json", {"q": "幸福小区12号楼"}).json()
    assert data["best"] == "R1" and data["items"][0]["name"] == "幸福小区"
    assert data["items"][0]["where"] == "东城街道 · 东城一网格"


@pytest.mark.django_db
def test_an_ambiguous_place_lists_every_candidate_and_names_no_best(world, operator):
    data = operator.get("/hotline/places.json", {"q": "幸福"}).json()
    assert data["best"] == "" and {i["name"] for i in data["items"]} == {"幸福小区", "幸福公园"}


@pytest.mark.django_db
def test_named_points_of_interest_are_places_but_cameras_are_not(world, operator):
    assert operator.get("/hotline/places.json", {"q": "向阳小学"}).json()["best"] == "SCH1"
    assert operator.get("/hotline/places.json", {"q": "向阳摄像头"}).json()["items"] == []


@pytest.mark.django_db
def test_the_callers_earlier_cases_appear_once_the_number_is_complete(world, operator):
    first = report(world, at=IN_R1, reporter=Reporter(name="李四", phone="13912345678"))
    second = report(world, at=IN_G2A, reporter=Reporter(name="李四", phone="13912345678"))
    report(world, at=IN_G2A, reporter=Reporter(name="别人", phone="13900000000"))
    report(world, at=IN_G2A, reporter=Reporter(phone="13912345678", anonymous=True))
    assert operator.get("/hotline/caller.json", {"phone": "1391234"}).json() == {
        "phone": "",
        "complete": False,
        "items": [],
    }
    data = operator.get("/hotline/caller.json", {"phone": "139 1234 5678"}).json()
    assert [i["code"] for i in data["items"]] == [second.code, first.code]  # newest first, anonymous left out
    assert data["items"][0]["name"] == "李四" and data["items"][0]["phone"] == "13912345678"
    read = AuditEvent.objects.get(action="operations.case.read_personal_data")  # the full read is audited
    assert read.object_id == "139****5678" and read.summary["after"]["cases"] == [second.code, first.code]
    assert read.actor_label == world.hotline.username


@pytest.mark.django_db
def test_a_viewer_without_the_hotlines_purpose_sees_callers_masked(world):
    report(world, at=IN_R1, reporter=Reporter(name="李四", phone="13912345678"))
    item = caller_cases("13912345678", world.dispatcher_s2)[0]
    assert (item["name"], item["phone"], item["masked"]) == ("李*", "139****5678", True)


@pytest.mark.django_db
def test_a_resident_account_phone_finds_their_own_reports(world, operator):
    mine = report(world, at=IN_R1, channel="photo_report", user=world.resident, reporter=world.resident)
    items = operator.get("/hotline/caller.json", {"phone": "13800138000"}).json()["items"]
    assert [i["code"] for i in items] == [mine.code] and items[0]["name"] == "张三"
