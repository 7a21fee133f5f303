"""The public pages: search by name, department and type; the guidance page leads to the materials."""

import pytest

pytestmark = pytest.mark.django_db
FOOD = "310106-000201-01-001"


def test_search_by_name_department_and_type(client, small_catalogue):
    page = client.get("/services/", {"q": "食品"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/services/guide/{FOOD}/" in html and "Residence certificate" not in html
    html = client.get("/services/", {"department": "D-GA"}).content.decode()
    assert "Residence certificate" in html and FOOD not in html
    html = client.get("/services/", {"type": "licence"}).content.decode()
    assert FOOD in html and "310106-000305-00-00X" not in html
    html = client.get("/services/", {"q": "residence"}).content.decode()
    assert "310106-000305-00-00X" in html


def test_guide_asks_then_lists_exactly_the_materials(client, small_catalogue):
    html = client.get(f"/services/guide/{FOOD}/").content.decode()
    assert "A chain store?" in html and 'name="q_chain"' in html and "Application form" not in html
    html = client.get(f"/services/guide/{FOOD}/", {"q_chain": "no"}).content.decode()
    assert 'name="q_premises"' in html and 'name="q_chain" value="no"' in html
    html = client.get(f"/services/guide/{FOOD}/", {"q_chain": "no", "q_premises": "rented"}).content.decode()
    assert "Your situation: Rented premises" in html
    assert "Lease registration" in html and "(optional)" in html  # not an electronic licence: to submit
    exempt = html.split('class="materials-exempt"')[1]
    assert "Business licence" in exempt  # in the e-licence library: not to submit
    assert "Application form" not in html  # a material of another situation
    assert "10 working days" in html and "20 working days" in html


def test_guide_shows_no_material_fee_and_channels(client, small_catalogue):
    html = client.get(f"/services/guide/{FOOD}/", {"q_chain": "yes"}).content.decode()
    assert "No material is needed." in html and "50.00 yuan" in html and "At a 24-hour kiosk" in html


def test_guide_in_chinese_and_unknown_items(client, small_catalogue):
    html = client.get(f"/services/guide/{FOOD}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "食品经营许可（新办）" in html and "是否连锁门店？" in html
    assert client.get("/services/guide/310106-999999-01-001/").status_code == 404
