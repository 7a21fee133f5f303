"""Bundles whose items ask guidance questions (plain builders for the bundles tests)."""

from tests.factories import make_department
from tests.services_applications.helpers import make_situation
from yiwang.services.bundles.models import Bundle, BundlePart
from yiwang.services.catalogue.models import Material, Option, Question, Situation


def with_agent_question(department, options=(("self", "In person"), ("proxy", "By a proxy"))):
    """An item with one situation per answer of "Who applies?"; the proxy one asks a power of attorney."""
    first = make_situation(department, materials=("Application form",))
    item = first.item
    question = Question.objects.create(item=item, code="agent", text="Who applies?")
    for position, (code, label) in enumerate(options):
        situation = (
            first
            if position == 0
            else Situation.objects.create(
                item=item,
                code=f"{first.code}-{code}",
                name=label,
                statutory_days=20,
                promised_days=5,
                position=position,
                kiosk=True,
            )
        )
        if code == "proxy":
            Material.objects.create(situation=situation, position=0, name="Application form")
            Material.objects.create(situation=situation, position=1, name="Power of attorney")
        Option.objects.create(question=question, code=code, label=label, position=position).situations.add(situation)
    return first


def bundle_with_questions():
    shop = with_agent_question(make_department(name="Market"))
    food = with_agent_question(make_department(name="Food"))
    fire = make_situation(make_department(name="Fire"), materials=("Floor plan",))
    bundle = Bundle.objects.create(code="shop", name="Open a shop")
    for position, situation in enumerate((shop, food, fire)):
        BundlePart.objects.create(bundle=bundle, situation=situation, position=position)
    return bundle, (shop, food, fire)
