"""The 12345 entry form records a hotline case (passive discovery) for operators only; errors stay inline."""

import pytest
from django.test import Client

from tests.factories import login_as
from yiwang.operations.models import Case

from .conftest import IN_R1, OUTSIDE


@pytest.fixture
def operator(world):
    return login_as(Client(), world.hotline)


def entry(world, **fields):
    data = {
        "phone": "021-6234 5678",
        "category": world.manhole.pk,
        "category_text": "市政设施 / 井盖",
        "address": "幸福小区3号楼",
        "description": "来电反映井盖缺失",
        "name": "赵六",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_the_operator_records_a_hotline_case_from_a_typed_place(world, operator):
    response = operator.post("/hotline/", entry(world))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/hotline/?recorded={case.code}"
    assert (case.channel, case.discovery, case.created_by) == ("hotline", "passive", world.hotline)
    assert (case.reporter_name, case.reporter_phone, case.reporter_id) == ("赵六", "02162345678", None)
    assert case.grid_code == "G1a" and case.address == "幸福小区3号楼"
    page = operator.get(response.url).content.decode()
    assert f'id="recorded-code">{case.code}<' in page


@pytest.mark.django_db
def test_a_map_point_wins_over_the_typed_text_and_priority_is_kept(world, operator):
    operator.post("/hotline/", entry(world, address="门口", lon=IN_R1[0], lat=IN_R1[1], priority="1"))
    case = Case.objects.get()
    assert case.priority == 1 and case.grid_code == "G1a" and case.address == "门口"


@pytest.mark.django_db
def test_an_anonymous_caller_leaves_no_name_or_number(world, operator):
    operator.post("/hotline/", entry(world, anonymous="on"))
    case = Case.objects.get()
    assert case.reporter_anonymous and (case.reporter_name, case.reporter_phone) == ("", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"phone": ""}, "phone", "Type the caller's phone number."),
        ({"phone": "1391234567"}, "phone", "A mobile number has 11 digits; this one has 10."),
        ({"category": ""}, "category", "Choose the category: type Chinese, pinyin initials or English"),
        ({"category": "abc"}, "category", "That category cannot be used"),
        ({"address": ""}, "address", "Type the place (residential area, school, shop …) and press Enter"),
        ({"address": "幸福"}, "address", "matches several places"),
        ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "address", "outside the district"),
        ({"description": ""}, "description", "Write down what the caller reports."),
        ({"category": "GARBAGE", "q_volume": "huge"}, "q_volume", "Select a valid choice."),
    ],
)
def test_mistakes_are_shown_inline_and_nothing_is_saved(world, operator, fields, field, message):
    if fields.get("category") == "GARBAGE":
        fields["category"] = world.garbage.pk
    response = operator.post("/hotline/", entry(world, **fields))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not Case.objects.exists()
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_the_re_shown_form_escapes_what_was_typed(world, operator):
    response = operator.post("/hotline/", entry(world, phone="", description="<script>alert(1)</script>"))
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


@pytest.mark.django_db
def test_only_hotline_operators_and_the_operations_centre_may_use_it(world):
    assert Client().get("/hotline/").status_code == 302  # to the login page
    assert login_as(Client(), world.resident).get("/hotline/").status_code == 403
    assert login_as(Client(), world.dispatcher).post("/hotline/", entry(world)).status_code == 403
    assert login_as(Client(), world.resident).get("/hotline/categories.json?q=jg").status_code == 403
    assert login_as(Client(), world.ops).get("/hotline/").status_code == 200
    assert not Case.objects.exists()
