"""Catalogue rows for kiosk tests: an item whose guidance asks one question between two situations."""

from tests.services_applications.helpers import make_situation
from yiwang.services.catalogue.models import Option, Question, Situation


def item_with_question(department=None, *, licences=("BIZ_LICENCE",)):
    """An item with situations "first" (kiosk) and "renewal" (kiosk); one question picks between them."""
    first = make_situation(department, materials=(), licences=licences, kiosk=True)
    item = first.item
    renewal = Situation.objects.create(
        item=item, code=f"{first.code}r", name="Renewal", statutory_days=20, promised_days=3, kiosk=True, position=1
    )
    question = Question.objects.create(item=item, code="kind", text="Is this your first application?")
    yes = Option.objects.create(question=question, code="first", label="Yes, the first", position=0)
    no = Option.objects.create(question=question, code="renew", label="No, a renewal", position=1)
    yes.situations.add(first)
    no.situations.add(renewal)
    return item, first, renewal


def kiosk_bundle(code="open-shop", *, all_at_kiosk=True):
    """A bundle of three departments' situations (one licence material shared by two), all at the kiosk."""
    from tests.factories import make_department
    from yiwang.services.bundles.models import Bundle, BundlePart

    shop = make_situation(
        make_department(name="市场监督管理局"), materials=("Lease contract",), licences=("BIZ_LICENCE",)
    )
    sign = make_situation(make_department(name="城管执法局"), materials=("Lease contract", "Sign drawing"))
    fire = make_situation(
        make_department(name="消防救援支队"), materials=(), licences=("BIZ_LICENCE",), kiosk=all_at_kiosk
    )
    bundle = Bundle.objects.create(code=code, name="开店一件事", name_en="Open a shop")
    for position, situation in enumerate((shop, sign, fire)):
        BundlePart.objects.create(bundle=bundle, situation=situation, position=position)
    return bundle, (shop, sign, fire)


def hold_licence(number, type_code="BIZ_LICENCE", name="欧阳娜娜"):
    """An electronic licence of ``type_code`` held by ``number`` (valid now)."""
    from datetime import date, timedelta

    from tests.factories import make_department
    from yiwang.core.actor import Actor
    from yiwang.services.licences.actions import issue_licence

    today = date.today()
    licence, _token = issue_licence(
        Actor.system(),
        licence_type=type_code,
        holder_id_number=number,
        holder_name=name,
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=300),
        issuer=make_department(name="Market Regulation", code=f"SCJG-{type_code}"),
    )
    return licence


def _px(locator) -> float:
    return float(locator.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))


def check_kiosk_screen(page, most=6):
    """The kiosk's rules on the screen shown: 1 to ``most`` choices, targets ≥ 48 px, text ≥ 24 px, and
    axe-core finds no serious or critical violation."""
    choices = page.locator(".choice")
    assert 0 < choices.count() <= most
    for button in page.locator(".kiosk-btn, button, input[type=file]").all():
        if not button.is_visible():
            continue
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, button.inner_text()
    for text in page.locator("main p, main li, main td, main th, .kiosk-btn").all():
        if text.is_visible():
            assert _px(text) >= 24, text.inner_text()
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
