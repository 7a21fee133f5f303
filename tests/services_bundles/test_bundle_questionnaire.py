"""A bundle asks its items' guidance questions once each (the same question of two departments' items
is one question), picks each item's situation from the answers, then asks the materials of exactly
those situations — each once — and submits them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import login_as, make_department, make_user
from tests.services_applications.helpers import as_actor, make_situation
from tests.services_bundles.helpers import bundle_with_questions, with_agent_question
from yiwang.core.actions import ActionError
from yiwang.services.bundles import actions, guidance
from yiwang.services.bundles.models import BundleApplication

pytestmark = pytest.mark.django_db


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_same_question_of_two_items_is_asked_once():
    bundle, parts = bundle_with_questions()
    questions = guidance.merged_questions([s.item for s in actions._situations(bundle)])
    assert [(q.field, q.text, len(q.items)) for q in questions] == [("q_agent", "Who applies?", 2)]
    resolved = guidance.resolve(actions._situations(bundle), questions, {"q_agent": "proxy"})
    assert resolved.complete
    assert [s.name for s in resolved.situations[:2]] == ["By a proxy", "By a proxy"]
    assert resolved.situations[2].pk == parts[2].pk  # no questions: the part's own situation
    unanswered = guidance.resolve(actions._situations(bundle), questions, {})
    assert not unanswered.complete and unanswered.unanswered == questions


def test_a_question_with_other_answers_is_a_question_of_its_own():
    a = with_agent_question(make_department())
    b = with_agent_question(make_department(), options=(("rep", "Legal representative"), ("proxy", "By a proxy")))
    questions = guidance.merged_questions([a.item, b.item])
    assert [q.field for q in questions] == ["q_agent", "q_agent_2"]


def test_the_page_asks_first_then_the_materials_of_the_chosen_situations_once(client):
    bundle, _parts = bundle_with_questions()
    asking = client.get("/services/bundles/shop/").content.decode()
    assert asking.count("Who applies?") == 1 and 'type="file"' not in asking
    ready = client.get("/services/bundles/shop/", {"q_agent": "proxy"}).content.decode()
    assert ready.count('type="file"') == 3  # application form, power of attorney (both once), floor plan
    assert 'name="q_agent" value="proxy"' in ready and "Power of attorney" in ready
    login_as(client, make_user())
    nothing = client.post("/services/bundles/shop/", {})
    assert nothing.status_code == 200 and not BundleApplication.objects.exists()
    files = {}
    for name in ("Application form", "Power of attorney", "Floor plan"):
        key = "name-" + "".join(ch if ch.isalnum() else "_" for ch in name.lower())
        files[f"m_{key}"] = _png(f"{key}.png")
    done = client.post("/services/bundles/shop/", {"q_agent": "proxy", **files})
    bundled = BundleApplication.objects.get()
    assert done["Location"] == f"/services/bundles/mine/{bundled.pk}/"
    names = sorted(a.situation.name for a in bundled.parts.all())
    assert names.count("By a proxy") == 2 and {a.status for a in bundled.parts.all()} == {"submitted"}


def test_situations_of_other_items_are_refused():
    bundle, parts = bundle_with_questions()
    stranger = make_situation(materials=())
    with pytest.raises(ActionError):
        actions.submit_bundle(as_actor(make_user()), bundle, situations=[stranger, parts[1], parts[2]])
    assert not BundleApplication.objects.exists()
