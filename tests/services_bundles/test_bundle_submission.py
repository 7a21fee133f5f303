"""Opening a restaurant as one thing: one form (each material asked once), one submission fanning out
into one application per department (all or nothing), one status, and the time and materials saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import login_as, make_department, make_user
from tests.services_applications.helpers import as_actor, make_situation
from yiwang.core.actions import ActionError
from yiwang.services.applications.models import Application
from yiwang.services.bundles import actions, plan
from yiwang.services.bundles.models import Bundle, BundleApplication, BundlePart

pytestmark = pytest.mark.django_db


def _png(name="scan.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _restaurant():
    licence = make_situation(make_department(name="Market"), promised=3, materials=("Lease contract", "ID copy"))
    food = make_situation(make_department(name="Food"), promised=10, materials=("Lease contract", "Kitchen plan"))
    sign = make_situation(make_department(name="City"), promised=5, materials=("ID copy",), licences=("BIZ",))
    fire = make_situation(make_department(name="Fire"), promised=7, materials=(), licences=("BIZ",))
    bundle = Bundle.objects.create(code="restaurant", name="Open a restaurant")
    for position, situation in enumerate((licence, food, sign, fire)):
        BundlePart.objects.create(bundle=bundle, situation=situation, position=position)
    return bundle, (licence, food, sign, fire)


def test_each_material_is_asked_once_and_the_page_compares_with_separate_items(client):
    bundle, parts = _restaurant()
    merged = plan.merged_materials(parts)
    assert sorted(m.name for m in merged) == ["Copy of BIZ", "ID copy", "Kitchen plan", "Lease contract"]
    compare = plan.comparison(parts)
    assert compare["promised_days_bundle"] == max(s.promised_days for s in parts)
    assert compare["promised_days_separate"] == sum(s.promised_days for s in parts)
    assert (compare["materials_bundle"], compare["materials_separate"]) == (4, 7)
    page = client.get("/services/bundles/restaurant/").content.decode()
    assert 'class="days-bundle">10<' in page and 'class="days-separate">25<' in page
    assert 'class="materials-bundle">4<' in page and 'class="materials-separate">7<' in page
    assert page.count('type="file"') == 4


def test_one_submission_fans_out_into_one_application_per_part_with_one_status(client):
    bundle, parts = _restaurant()
    resident = make_user()
    login_as(client, resident)
    files = {m.field_name: _png(f"{m.key}.png") for m in plan.merged_materials(parts)}
    response = client.post("/services/bundles/restaurant/", files)
    bundled = BundleApplication.objects.get()
    assert response["Location"] == f"/services/bundles/mine/{bundled.pk}/"
    applications = list(bundled.parts.all())
    assert sorted(a.situation_id for a in applications) == sorted(s.pk for s in parts)
    assert {a.status for a in applications} == {"submitted"} and {a.applicant_id for a in applications} == {resident.pk}
    assert len({a.department_id for a in applications}) == 4
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="submitted"' in page
    first = applications[0]
    Application.objects.filter(pk=first.pk).update(status="accepted")
    assert plan.derived_status(a.status for a in bundled.parts.all()) == "submitted"  # the least advanced part
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(status="accepted")
    assert 'data-status="accepted"' in client.get(response["Location"]).content.decode()


def test_a_missing_material_keeps_nothing(client):
    bundle, parts = _restaurant()
    resident = make_user()
    uploads = {m.key: _png() for m in plan.merged_materials(parts) if m.name != "Kitchen plan"}
    with pytest.raises(ActionError, match="Kitchen plan"):
        actions.submit_bundle(as_actor(resident), bundle, uploads=uploads)
    assert Application.objects.count() == 0 and BundleApplication.objects.count() == 0


def test_someone_else_cannot_see_the_bundle_application(client):
    bundle, parts = _restaurant()
    owner = make_user()
    bundled = actions.submit_bundle(
        as_actor(owner), bundle, uploads={m.key: _png() for m in plan.merged_materials(parts)}
    )
    login_as(client, make_user())
    assert client.get(f"/services/bundles/mine/{bundled.pk}/").status_code == 404
