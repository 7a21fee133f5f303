"""Catalogue rows for elder-mode tests: many items, a question with many answers, many materials."""

from tests.factories import make_department
from tests.services_applications.helpers import make_situation
from yiwang.services.catalogue.models import Option, Question, Situation


def many_items(n=6, word="Pension"):
    department = make_department(name="民政局")
    items = []
    for k in range(n):
        situation = make_situation(department, materials=())
        situation.item.name = f"{word} {k}"
        situation.item.save(update_fields=["name"])
        items.append(situation.item)
    return items


def item_with_many_answers(n=6):
    """An item whose one question has ``n`` answers, each leading to its own situation."""
    first = make_situation(materials=())
    item = first.item
    question = Question.objects.create(item=item, code="who", text="Who are you applying for?")
    for k in range(n):
        situation = (
            first
            if k == 0
            else Situation.objects.create(
                item=item, code=f"{first.code}-{k}", name=f"Case {k}", statutory_days=20, promised_days=5, position=k
            )
        )
        option = Option.objects.create(question=question, code=f"o{k}", label=f"Answer {k}", position=k)
        option.situations.add(situation)
    return item


def situation_with_many_materials(n=6):
    return make_situation(materials=tuple(f"Paper {k}" for k in range(n)))


def log_in_in_elder_mode(page, base_url: str, path: str):
    """A new resident logs in through the form (landing on ``path``) and switches elder mode on; returns them."""
    import re

    from playwright.sync_api import expect

    from tests.factories import make_user

    resident = make_user()
    page.goto(f"{base_url}/accounts/login/?next={path}")
    page.fill("#id_username", resident.username)
    page.fill("#id_password", "pw-yiwang-test")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    page.locator(".elder-toggle button").click()
    page.locator("body.elder-mode").wait_for()
    return resident
